"""How the demo organisations work together: one row per kind of relationship, dated.

The dates follow the study's story: the county withdrew library funding in 2011,
volunteers took the libraries over in 2012, the first police and crime commissioner
was elected in November 2012, and funding for domestic-violence support fell later.
"""

from dataclasses import dataclass
from datetime import date

from coproduce.demo.institutions import (
    PARISH_A,
    PARISH_B,
    PCC,
    SCHOOL,
    SUPERMARKET,
    UNIVERSITY,
)
from coproduce.demo.logins import COUNTY_COUNCIL, DV_CHARITY, LIBRARY_A, LIBRARY_B
from coproduce.organisations.models import Organisation, PartnershipKind
from coproduce.organisations.services import partnership_create


@dataclass(frozen=True)
class DemoPartnership:
    source: str
    target: str
    kind: PartnershipKind
    started_on: date
    description: str
    ended_on: date | None = None


K = PartnershipKind

DEMO_PARTNERSHIPS: tuple[DemoPartnership, ...] = (
    # Case 1: the libraries stay in the county library system.
    DemoPartnership(
        COUNTY_COUNCIL,
        LIBRARY_A,
        K.RESOURCE_SHARING,
        date(2012, 4, 2),
        "Restocked from the central library at the handover; book stock rotates every "
        "four months through the county library system.",
    ),
    DemoPartnership(
        COUNTY_COUNCIL,
        LIBRARY_B,
        K.RESOURCE_SHARING,
        date(2012, 6, 1),
        "Book stock rotation and the summer reading challenge from the central library.",
    ),
    DemoPartnership(
        COUNTY_COUNCIL,
        LIBRARY_A,
        K.TRAINING,
        date(2012, 3, 5),
        "Volunteer training on the library management system and safeguarding.",
    ),
    DemoPartnership(
        COUNTY_COUNCIL,
        LIBRARY_B,
        K.TRAINING,
        date(2012, 5, 14),
        "Volunteer training on the library management system and safeguarding.",
    ),
    DemoPartnership(
        COUNTY_COUNCIL,
        LIBRARY_A,
        K.HELPLINE,
        date(2012, 4, 2),
        "The county libraries helpline answers volunteers' questions on weekdays.",
    ),
    DemoPartnership(
        COUNTY_COUNCIL,
        LIBRARY_B,
        K.HELPLINE,
        date(2012, 6, 1),
        "The county libraries helpline answers volunteers' questions on weekdays.",
    ),
    DemoPartnership(
        COUNTY_COUNCIL,
        LIBRARY_A,
        K.FUNDING,
        date(2012, 4, 2),
        "A yearly grant towards the building; the library sends an annual report and its "
        "closure schedule to the council.",
    ),
    DemoPartnership(
        COUNTY_COUNCIL,
        LIBRARY_B,
        K.FUNDING,
        date(2012, 6, 1),
        "A yearly grant towards the building, reduced in 2020.",
    ),
    DemoPartnership(
        PARISH_A,
        LIBRARY_A,
        K.FUNDING,
        date(2013, 4, 1),
        "A grant from the parish precept, agreed at the open budget meeting each January.",
    ),
    DemoPartnership(
        PARISH_B,
        LIBRARY_B,
        K.FUNDING,
        date(2014, 4, 1),
        "A grant from the parish precept towards heating and insurance.",
    ),
    DemoPartnership(
        SCHOOL,
        LIBRARY_A,
        K.JOINT_EVENTS,
        date(2013, 9, 10),
        "Class visits every term and a shared summer reading challenge launch.",
    ),
    DemoPartnership(
        SUPERMARKET,
        LIBRARY_B,
        K.JOINT_EVENTS,
        date(2018, 3, 1),
        "Shoppers' token donations and a book sale in the store foyer.",
        ended_on=date(2023, 2, 28),
    ),
    # Case 2: domestic-violence support, funded by several bodies and falling.
    DemoPartnership(
        COUNTY_COUNCIL,
        DV_CHARITY,
        K.CONTRACT,
        date(2016, 4, 1),
        "The refuge contract, re-tendered every five years.",
    ),
    DemoPartnership(
        PCC,
        DV_CHARITY,
        K.FUNDING,
        date(2013, 4, 1),
        "Victims' services funding for the helpline, outreach and awareness work.",
    ),
    DemoPartnership(
        COUNTY_COUNCIL,
        DV_CHARITY,
        K.REFERRALS,
        date(2011, 1, 10),
        "Social workers refer families to the refuge and the outreach team.",
    ),
    DemoPartnership(
        DV_CHARITY,
        COUNTY_COUNCIL,
        K.TRAINING,
        date(2014, 10, 1),
        "Training for social workers in recognising abuse and referring safely.",
    ),
    DemoPartnership(
        DV_CHARITY,
        UNIVERSITY,
        K.TRAINING,
        date(2016, 1, 18),
        "A yearly session for social-work and nursing students.",
    ),
    DemoPartnership(
        UNIVERSITY,
        DV_CHARITY,
        K.CO_RESEARCH,
        date(2018, 9, 1),
        "Evaluations with the users' forum; survivors co-author and speak at conferences.",
    ),
)


def create_partnerships(organisations: dict[str, Organisation]) -> None:
    for spec in DEMO_PARTNERSHIPS:
        partnership_create(
            source=organisations[spec.source],
            target=organisations[spec.target],
            kind=spec.kind,
            started_on=spec.started_on,
            ended_on=spec.ended_on,
            description=spec.description,
        )
