#!/usr/bin/env python
"""Django's command-line utility; `partons …` does the same."""
from partons.cli import main

if __name__ == "__main__":
    main()
