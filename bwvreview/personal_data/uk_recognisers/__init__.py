"""UK personal-data recognisers for presidio, tuned to speech as Whisper writes it.

Presidio's own UK recognisers expect typed text ("SO14 7DU", "07700 900123"). A body-worn
camera hears people *say* these things, and Whisper writes what it hears in several ways:
"07700 900123", "0-7-7-0-0-9-0-0-1-2-3", "oh seven seven double oh nine hundred one two
three"; "S O 14 7 D U"; "Alpha Bravo one two Charlie Delta Echo" (officers use the phonetic
alphabet for registrations). So these recognisers work on word tokens: each token is read as
digits, a letter or a word, and runs of them are joined and tested against the UK formats.
Scores are modest on their own and rise with presidio's context words ("ring me on",
"postcode", "lives at"); every hit is shown to a reviewer before anything is bleeped.

The modules say what each recogniser finds: ``numbers`` (phone, postcode, vehicle
registration, collar number), ``dates`` (dates of birth), ``places`` (addresses), ``names``
(titled names, spaCy's names and places), ``emails`` and ``answers`` (whatever answers
"Date of birth?", "Phone number?", "Your name?", "Where do you live?"); ``spoken`` reads
the words.

The recognisers subclass presidio's, so they are imported on first use (``uk_recognisers``,
or asking this package for one): the entity names, ``Token``, ``read_number`` and
``tokens_of`` are plain Python and cost nothing to import.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bwvreview.personal_data.uk_recognisers.spoken import (
    ADDRESS,
    ANSWERED_NAME,
    COLLAR_NUMBER,
    DATE_OF_BIRTH,
    PHONE,
    POSTCODE,
    SPOKEN_EMAIL,
    TITLED_NAME,
    VEHICLE,
    Token,
    read_number,
    tokens_of,
)

if TYPE_CHECKING:
    from presidio_analyzer import EntityRecognizer

__all__ = [
    "ADDRESS",
    "ANSWERED_NAME",
    "COLLAR_NUMBER",
    "DATE_OF_BIRTH",
    "PHONE",
    "POSTCODE",
    "SPOKEN_EMAIL",
    "TITLED_NAME",
    "UK_RECOGNISER_NAMES",
    "VEHICLE",
    "AddressAnswerRecognizer",
    "AddressRecognizer",
    "CollarNumberRecognizer",
    "DateOfBirthAnswerRecognizer",
    "DateOfBirthRecognizer",
    "NameAnswerRecognizer",
    "OfflineEmailRecognizer",
    "PhoneAnswerRecognizer",
    "SpeechSpacyRecognizer",
    "SpokenEmailRecognizer",
    "SpokenPhoneRecognizer",
    "SpokenPostcodeRecognizer",
    "SpokenVehicleRegistrationRecognizer",
    "TitledNameRecognizer",
    "Token",
    "birth_cue_near",
    "read_number",
    "tokens_of",
    "uk_recognisers",
]


# The recognisers an analyser runs: (module, class, the name its hits carry as "uk:<name>").
_IN_AN_ANALYSER = (
    ("numbers", "SpokenPhoneRecognizer", "phone"),
    ("numbers", "SpokenPostcodeRecognizer", "postcode"),
    ("numbers", "SpokenVehicleRegistrationRecognizer", "vehicle_registration"),
    ("places", "AddressRecognizer", "address"),
    ("dates", "DateOfBirthRecognizer", "date_of_birth"),
    ("names", "TitledNameRecognizer", "titled_name"),
    ("numbers", "CollarNumberRecognizer", "collar_number"),
    ("emails", "SpokenEmailRecognizer", "spoken_email"),
    ("answers", "DateOfBirthAnswerRecognizer", "date_of_birth_answer"),
    ("answers", "PhoneAnswerRecognizer", "phone_answer"),
    ("answers", "NameAnswerRecognizer", "name_answer"),
    ("answers", "AddressAnswerRecognizer", "address_answer"),
)
UK_RECOGNISER_NAMES = frozenset(name for _, _, name in _IN_AN_ANALYSER)
# What the modules that import presidio give, by module, imported when first asked for.
_LAZY = {
    **{recogniser: module for module, recogniser, _ in _IN_AN_ANALYSER},
    "OfflineEmailRecognizer": "emails",
    "SpeechSpacyRecognizer": "names",
    "birth_cue_near": "dates",
}


def __getattr__(name: str) -> Any:
    """A recogniser, imported (with presidio) the first time it is asked for."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def uk_recognisers() -> list[EntityRecognizer]:
    """Fresh instances of every recogniser in this module, for one analyser engine."""
    return [__getattr__(recogniser)(name) for _, recogniser, name in _IN_AN_ANALYSER]
