"""Demo newsletter: one past issue in Dutch and French about the demo's current call for projects and the programme's
closing event, so that the archive of `make run` is not empty. The programme did send its 2019 call to the villages
as a bilingual e-mail newsletter (the sources say so); this issue's text is ours, its date is the demo's: it is
flagged synthetic and the pages say so. It was never sent to anyone (no subscriber, no delivery).
Idempotent: left alone when a synthetic issue exists."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from partons.calls.models import Call
from partons.events.models import Event
from partons.publications.models import Publication

from .models import Issue

BODY_NL = """Beste lezer,

De nieuwe **projectoproep voor leefbare dorpen** is open. Hebt u met uw buren, uw vereniging of uw dorpsraad een idee
voor een ontmoetingsplek, een gedeelde dienst of een dorpsloket? Dien het in via de site: een jury van beide kanten
van de grens kiest de projecten en een coach helpt u op weg.

## Ook in dit nummer

- De ideeënbus blijft open: elk idee krijgt een antwoord van het programmateam.
- Op de kaart van de voorzieningen ziet u welke winkels, scholen en dokters in uw buurt open of dicht gingen.
  Ziet u een fout? Meld het met één klik.
"""

BODY_FR = """Chère lectrice, cher lecteur,

Le nouvel **appel à projets pour des villages vivants** est ouvert. Vous avez, avec vos voisins, votre association
ou votre conseil de village, une idée de lieu de rencontre, de service partagé ou de guichet de village ? Déposez-la
sur le site : un jury des deux côtés de la frontière choisit les projets et un coach vous accompagne.

## Aussi dans ce numéro

- La boîte à idées reste ouverte : chaque idée reçoit une réponse de l’équipe du programme.
- La carte des services montre les commerces, écoles et médecins qui ont ouvert ou fermé près de chez vous.
  Une erreur ? Signalez-la en un clic.
"""


@transaction.atomic
def load_demo_newsletter(log=print) -> dict[str, int]:
    if Issue.objects.filter(synthetic=True).exists():
        return {"issues": 0}
    call = Call.objects.filter(published=True).order_by("-opens_at").first()
    # dated the day the call it announces opened (the day such an issue goes out), not the day the demo was loaded
    when = min(call.opens_at, timezone.now()) if call is not None else timezone.now()
    issue = Issue.objects.create(
        subject_nl="Nieuwe projectoproep: leefbare dorpen", subject_fr="Nouvel appel à projets : des villages vivants",
        body_nl=BODY_NL, body_fr=BODY_FR, status=Issue.Status.SENT, synthetic=True, sending_started_at=when, sent_at=when)
    issue.calls.set([call] if call is not None else [])
    issue.events.set(Event.objects.filter(slug="closing-2021", published=True))
    issue.publications.set(Publication.objects.filter(slug="masterplan-callicanes-2018", published=True))
    log("  newsletter: 1 synthetic past issue (never sent to anyone)")
    return {"issues": 1}
