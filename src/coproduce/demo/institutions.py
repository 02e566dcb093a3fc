"""The demo world's organisations and the services they run, as data.

Case 1 of the study (two volunteer-run community libraries) and Case 2 (a
domestic-violence charity with a refuge) in a fictional county, Eastmere, with the
public bodies that commission and fund them and the partners they work with.
"""

import random
from dataclasses import dataclass, field

from coproduce.core.references import new_reference
from coproduce.demo.areas import (
    ASHMERE_PARVA,
    BRACKENHOLT_CENTRAL,
    COUNTY,
    FENNICK_GREEN,
    KESTREL_FIELDS,
)
from coproduce.demo.logins import COUNTY_COUNCIL, DV_CHARITY, LIBRARY_A, LIBRARY_B
from coproduce.organisations.models import GovernmentLevel, Organisation, OrganisationKind, Sector
from coproduce.organisations.services import organisation_create, service_create
from coproduce.places.models import Area

PCC = "eastmere-pcc"
PARISH_A = "ashmere-parva-parish-council"
PARISH_B = "fennick-green-parish-council"
UNIVERSITY = "university-of-eastmere"
SCHOOL = "ashmere-parva-primary-school"
SUPERMARKET = "mereway-foods-fennick-green"


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    kind: OrganisationKind
    area_code: str
    description: str
    level: GovernmentLevel | str = ""


DEMO_ORGANISATIONS: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(
        COUNTY_COUNCIL,
        "Eastmere County Council",
        OrganisationKind.PUBLIC_BODY,
        COUNTY,
        "The upper-tier council. It ran every library until it withdrew their funding in "
        "2011; it still runs the central library and the county library system, and "
        "commissions domestic-violence support.",
        GovernmentLevel.COUNTY,
    ),
    DemoOrganisation(
        PCC,
        "Eastmere Police and Crime Commissioner",
        OrganisationKind.POLICE_AND_CRIME_COMMISSIONER,
        COUNTY,
        "Elected in 2012; funds victims' services and community safety across the county.",
        GovernmentLevel.COUNTY,
    ),
    DemoOrganisation(
        PARISH_A,
        "Ashmere Parva Parish Council",
        OrganisationKind.PUBLIC_BODY,
        ASHMERE_PARVA,
        "Sets its precept at an open meeting each January, including the library grant.",
        GovernmentLevel.PARISH,
    ),
    DemoOrganisation(
        PARISH_B,
        "Fennick Green Parish Council",
        OrganisationKind.PUBLIC_BODY,
        FENNICK_GREEN,
        "Looks after the green and the footpaths, and gives the village library a grant.",
        GovernmentLevel.PARISH,
    ),
    DemoOrganisation(
        LIBRARY_A,
        "Ashmere Parva Community Library",
        OrganisationKind.SOCIAL_ENTERPRISE,
        ASHMERE_PARVA,
        "Taken over by volunteers in 2012 after a public consultation on the county's cuts; "
        "restocked from the central library and still part of the county library system. "
        "Volunteers meet every three weeks; knit and natter on Tuesdays.",
    ),
    DemoOrganisation(
        LIBRARY_B,
        "Fennick Green Community Library",
        OrganisationKind.SOCIAL_ENTERPRISE,
        FENNICK_GREEN,
        "Run by volunteers since 2012 as a social enterprise; income from grants, the "
        "photocopier, event fees and supermarket token donations.",
    ),
    DemoOrganisation(
        DV_CHARITY,
        "Eastmere Haven Trust",
        OrganisationKind.CHARITY,
        COUNTY,
        "A domestic-violence charity with a refuge, open for more than 35 years, which "
        "also raises awareness and trains professionals. Its users' forum meets monthly.",
    ),
    DemoOrganisation(
        UNIVERSITY,
        "University of Eastmere",
        OrganisationKind.UNIVERSITY,
        BRACKENHOLT_CENTRAL,
        "Its students volunteer after the freshers' fair; its researchers evaluate local "
        "services with the people who use them.",
    ),
    DemoOrganisation(
        SCHOOL,
        "Ashmere Parva Primary School",
        OrganisationKind.SCHOOL,
        ASHMERE_PARVA,
        "The village primary school; its classes visit the community library every term.",
    ),
    DemoOrganisation(
        SUPERMARKET,
        "Mereway Foods, Fennick Green",
        OrganisationKind.BUSINESS,
        FENNICK_GREEN,
        "A local supermarket whose shoppers drop tokens to choose the charities it supports.",
    ),
)


@dataclass(frozen=True)
class DemoService:
    name: str
    sector: Sector
    provider: str
    area_code: str
    description: str
    sensitive: bool = False
    commissioned_by: tuple[str, ...] = field(default=())
    funded_by: tuple[str, ...] = field(default=())


DEMO_SERVICES: tuple[DemoService, ...] = (
    DemoService(
        "Eastmere Central Library",
        Sector.LIBRARY,
        COUNTY_COUNCIL,
        COUNTY,
        "The county's central library: book stock, the library management system and "
        "the summer reading challenge for every library in the county system.",
    ),
    DemoService(
        "Eastmere Libraries Helpline",
        Sector.LIBRARY,
        COUNTY_COUNCIL,
        COUNTY,
        "Telephone and email support for library staff and volunteers.",
    ),
    DemoService(
        "Ashmere Parva Community Library",
        Sector.LIBRARY,
        LIBRARY_A,
        ASHMERE_PARVA,
        "Lending, children's story time, talks by local speakers, knit and natter.",
        funded_by=(COUNTY_COUNCIL, PARISH_A),
    ),
    DemoService(
        "Fennick Green Community Library",
        Sector.LIBRARY,
        LIBRARY_B,
        FENNICK_GREEN,
        "Lending, a photocopier, homework club and a monthly book sale.",
        funded_by=(COUNTY_COUNCIL, PARISH_B),
    ),
    DemoService(
        "Haven refuge",
        Sector.DOMESTIC_VIOLENCE,
        DV_CHARITY,
        COUNTY,
        "Safe accommodation and support for women and children escaping abuse. "
        "Its address is never published.",
        sensitive=True,
        commissioned_by=(COUNTY_COUNCIL,),
        funded_by=(PCC,),
    ),
    DemoService(
        "Domestic abuse awareness and training",
        Sector.DOMESTIC_VIOLENCE,
        DV_CHARITY,
        COUNTY,
        "Talks for schools and community groups; training for social workers, police "
        "and health staff in recognising abuse and referring safely.",
        funded_by=(PCC,),
    ),
    DemoService(
        "Haven helpline",
        Sector.DOMESTIC_VIOLENCE,
        DV_CHARITY,
        COUNTY,
        "A free, confidential helpline; the number is on the back of toilet doors in "
        "libraries, surgeries and the university.",
        funded_by=(PCC, COUNTY_COUNCIL),
    ),
    DemoService(
        "Neighbourhood watch support",
        Sector.COMMUNITY_SAFETY,
        PCC,
        COUNTY,
        "Small grants and advice for neighbourhood watch schemes.",
    ),
    DemoService(
        "Kestrel Fields safer streets",
        Sector.COMMUNITY_SAFETY,
        COUNTY_COUNCIL,
        KESTREL_FIELDS,
        "Street lighting audits and walk-and-talk sessions with residents.",
        funded_by=(PCC,),
    ),
    DemoService(
        "Fennick Green village green",
        Sector.LOCAL_ENVIRONMENT,
        PARISH_B,
        FENNICK_GREEN,
        "Mowing, litter picks with volunteers, and the footpaths.",
    ),
    DemoService(
        "Ashmere Parva Primary School",
        Sector.EDUCATION,
        SCHOOL,
        ASHMERE_PARVA,
        "Primary education for the village and the farms around it.",
        funded_by=(COUNTY_COUNCIL,),
    ),
)


def create_organisations(areas: dict[str, Area]) -> dict[str, Organisation]:
    """Every demo organisation, by slug."""
    return {
        spec.slug: organisation_create(
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            area=areas[spec.area_code],
            level=spec.level,
            description=spec.description,
        )
        for spec in DEMO_ORGANISATIONS
    }


def create_services(
    areas: dict[str, Area], organisations: dict[str, Organisation], rng: random.Random
) -> None:
    # Service references default to the cryptographic generator; the demo draws them
    # from its seeded generator so that the same seed gives the same web addresses.
    for spec in DEMO_SERVICES:
        service_create(
            name=spec.name,
            sector=spec.sector,
            provider=organisations[spec.provider],
            area=areas[spec.area_code],
            sensitive=spec.sensitive,
            description=spec.description,
            commissioned_by=[organisations[slug] for slug in spec.commissioned_by],
            funded_by=[organisations[slug] for slug in spec.funded_by],
            reference=new_reference("S", rng=rng),
        )
