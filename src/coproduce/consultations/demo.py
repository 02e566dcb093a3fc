"""The demo feedback forms (see ``coproduce/demo/README.md``): asked after every session.

* Ashmere Parva Community Library asks for feedback after its talks by local speakers
  (pseudonymous: answers carry the person's reference, never a name), in two parts,
  with its questions in English, Vietnamese and Welsh.
* The DV charity's refuge asks after every coffee morning (Case 2's "feedback form
  after every session"), fully anonymous and under the neutral title "Feedback"; most
  answers come on paper and are typed in by the refuge manager.

People who were checked in at a past session answer; some online, section by section,
some on paper. Every response goes through the services, so each is one record in the
participation ledger. Deterministic (one ``random.Random(seed)``, consumed in a fixed
order), idempotent (a form already there is left alone), atomic. It reads the world by
slugs, usernames and titles; it does not import ``demo``.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import Participant, User
from coproduce.engagement.models import Activity, ParticipationRecord
from coproduce.events.models import Event, EventStatus

from .answers import Raw
from .models import Question, QuestionKind, Questionnaire, ResponseChannel, ResponseMode
from .services import (
    QuestionnairePlan,
    QuestionSpec,
    Respondent,
    Texts,
    paper_response_enter,
    question_add,
    questionnaire_create,
    response_save_section,
    response_submit,
    section_add,
    version_publish,
)

K = QuestionKind


@dataclass(frozen=True)
class DemoQuestion:
    kind: QuestionKind
    text: Texts
    required: bool = False
    options: tuple[Texts, ...] = ()
    show_if: int | None = None  # index of an earlier question of the form
    show_if_value: str = ""


@dataclass(frozen=True)
class DemoForm:
    provider: str
    service: str
    activity: str
    title: str
    public_title: str
    introduction: str
    mode: ResponseMode
    recorder: str
    paper_share: float
    response_share: float
    sections: tuple[tuple[Texts, tuple[DemoQuestion, ...]], ...]


TALKS = DemoForm(
    provider="ashmere-parva-community-library",
    service="Ashmere Parva Community Library",
    activity="Talks by local speakers",
    title="Feedback after talks",
    public_title="Tell us about the talk",
    introduction="Two short parts. Your answers help the volunteers choose the next speakers.",
    mode=ResponseMode.PSEUDONYMOUS,
    recorder="library-manager",
    paper_share=0.3,
    response_share=0.5,
    sections=(
        (
            Texts("The talk", "Buổi nói chuyện", "Y sgwrs"),
            (
                DemoQuestion(
                    K.LIKERT,
                    Texts(
                        "The talk was interesting",
                        "Buổi nói chuyện thú vị",
                        "Roedd y sgwrs yn ddiddorol",
                    ),
                    required=True,
                ),
                DemoQuestion(
                    K.SINGLE_CHOICE,
                    Texts(
                        "How did you hear about it?",
                        "Bạn biết về buổi này qua đâu?",
                        "Sut glywoch chi amdani?",
                    ),
                    options=(
                        Texts(
                            "A poster in the library",
                            "Áp phích ở thư viện",
                            "Poster yn y llyfrgell",
                        ),
                        Texts("The parish magazine", "Tạp chí của xã", "Cylchgrawn y plwyf"),
                        Texts("Word of mouth", "Người quen kể", "Ar lafar"),
                        Texts("Social media", "Mạng xã hội", "Cyfryngau cymdeithasol"),
                    ),
                ),
                DemoQuestion(
                    K.SCALE,
                    Texts(
                        "How likely are you to recommend our talks to a friend?",
                        "Bạn có muốn giới thiệu các buổi nói chuyện cho bạn bè không?",
                        "Pa mor debygol ydych chi o argymell ein sgyrsiau i ffrind?",
                    ),
                    required=True,
                ),
            ),
        ),
        (
            Texts("Next time", "Lần tới", "Y tro nesaf"),
            (
                DemoQuestion(
                    K.MULTIPLE_CHOICE,
                    Texts(
                        "Which times suit you?",
                        "Giờ nào phù hợp với bạn?",
                        "Pa amserau sy'n addas?",
                    ),
                    options=(
                        Texts(
                            "Weekday evenings", "Tối các ngày trong tuần", "Nosweithiau'r wythnos"
                        ),
                        Texts(
                            "Weekday afternoons",
                            "Chiều các ngày trong tuần",
                            "Prynhawniau'r wythnos",
                        ),
                        Texts("Saturday mornings", "Sáng thứ Bảy", "Boreau Sadwrn"),
                    ),
                ),
                DemoQuestion(
                    K.SHORT_TEXT,
                    Texts(
                        "What talk would you like next?",
                        "Bạn muốn nghe chủ đề gì lần tới?",
                        "Pa sgwrs hoffech chi nesaf?",
                    ),
                ),
            ),
        ),
    ),
)

REFUGE = DemoForm(
    provider="eastmere-haven-trust",
    service="Haven refuge",
    activity="Coffee morning",
    title="Feedback after each coffee morning",
    public_title="Feedback",
    introduction="A few questions about today. You do not need to give your name.",
    mode=ResponseMode.ANONYMOUS,
    recorder="refuge-manager",
    paper_share=0.7,
    response_share=0.7,
    sections=(
        (
            Texts("Today's session", "Buổi hôm nay", "Y sesiwn heddiw"),
            (
                DemoQuestion(
                    K.LIKERT,
                    Texts("I felt safe and welcome", "Tôi thấy an toàn và được chào đón"),
                    required=True,
                ),
                DemoQuestion(
                    K.LIKERT,
                    Texts("The session was useful to me", "Buổi này hữu ích với tôi"),
                    required=True,
                ),
                DemoQuestion(
                    K.SINGLE_CHOICE,
                    Texts("Would you come to the next one?", "Bạn có đến buổi sau không?"),
                    required=True,
                    options=(
                        Texts("Yes", "Có", "Byddwn"),
                        Texts("No", "Không", "Na fyddwn"),
                        Texts("Not sure", "Chưa chắc", "Ddim yn siŵr"),
                    ),
                ),
                DemoQuestion(
                    K.LONG_TEXT,
                    Texts("What would help you come?", "Điều gì giúp bạn đến được?"),
                    show_if=2,
                    show_if_value="No",
                ),
            ),
        ),
        (
            Texts("Anything else", "Điều khác", "Unrhyw beth arall"),
            (
                DemoQuestion(
                    K.LONG_TEXT,
                    Texts("What could we do better?", "Chúng tôi có thể làm tốt hơn điều gì?"),
                ),
            ),
        ),
    ),
)

FORMS = (TALKS, REFUGE)

IDEAS = (
    "The history of the village school",
    "Bees and beekeeping",
    "Family history online",
    "Walking the old railway line",
    "Local wildlife in winter",
    "",
    "",
)
BETTER = (
    "More time to talk with each other.",
    "A quiet corner for the children.",
    "Could it start a little later, after the school run?",
    "",
    "",
    "",
)
WHY_NOT = ("Childcare on that morning.", "I am moving out next week.", "Transport.")


def load_demo_consultations(*, seed: int) -> None:
    """Create the demo feedback forms and the answers given after past sessions, once."""
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not a secret # nosec B311
    with transaction.atomic():
        for spec in FORMS:
            activity = (
                Activity.objects.filter(
                    service__provider__slug=spec.provider,
                    service__name=spec.service,
                    title=spec.activity,
                )
                .select_related("service")
                .first()
            )
            if (
                activity is None
                or Questionnaire.objects.filter(service=activity.service, title=spec.title).exists()
            ):
                continue
            questionnaire, questions = _build(spec, activity)
            recorder = get_user_model().objects.filter(username=spec.recorder).first()
            for event in _past_sessions(activity):
                _answer_session(spec, questionnaire, questions, event, recorder, rng)


def _build(spec: DemoForm, activity: Activity) -> tuple[Questionnaire, list[Question]]:
    questionnaire = questionnaire_create(
        service=activity.service,
        plan=QuestionnairePlan(
            title=spec.title,
            public_title=spec.public_title,
            introduction=spec.introduction,
            mode=spec.mode,
            activity=activity,
            after_sessions=True,
        ),
        created_by=None,
        rng=random.Random(spec.title),  # noqa: S311 - a demo form's code, not a secret # nosec B311
    )
    questions: list[Question] = []
    for title, items in spec.sections:
        section = section_add(questionnaire=questionnaire, title=title, added_by=None)
        for item in items:
            condition = questions[item.show_if] if item.show_if is not None else None
            questions.append(
                question_add(
                    section=section,
                    spec=QuestionSpec(
                        kind=item.kind,
                        text=item.text,
                        required=item.required,
                        options=item.options,
                        show_if=condition,
                        show_if_value=item.show_if_value,
                    ),
                    added_by=None,
                )
            )
    version_publish(questionnaire=questionnaire, published_by=None)
    return questionnaire, questions


# The forms began half a year ago: the sessions since then have feedback (and the
# demo, loaded by every browser test, stays quick to load).
SESSIONS = 6


def _past_sessions(activity: Activity) -> list[Event]:
    return list(
        Event.objects.filter(
            activity=activity, status=EventStatus.PUBLISHED, ends_at__lt=timezone.now()
        ).order_by("-starts_at", "-pk")[:SESSIONS]
    )[::-1]


def _attendees(event: Event) -> list[Participant]:
    ids = ParticipationRecord.objects.filter(
        act_key__startswith=f"event:{event.pk}:attended:", participant__isnull=False
    ).values("participant_id")
    return list(Participant.objects.filter(pk__in=ids).order_by("reference"))


def _raw(question: Question, rng: random.Random) -> Raw:
    """A plausible answer, leaning to the positive as real feedback forms do."""
    kind = question.kind
    if kind == K.LIKERT:
        return rng.choices(["1", "2", "3", "4", "5"], weights=[1, 2, 4, 10, 9])[0]
    if kind == K.SCALE:
        return str(rng.choices(range(11), weights=[1, 0, 1, 1, 1, 2, 3, 6, 8, 6, 5])[0])
    if kind == K.SINGLE_CHOICE:
        values = [str(option["value"]) for option in question.options]
        return rng.choices(values, weights=[6, 2, 1][: len(values)] + [1] * (len(values) - 3))[0]
    if kind == K.MULTIPLE_CHOICE:
        values = [str(option["value"]) for option in question.options]
        return rng.sample(values, rng.randint(0, len(values)))
    if question.show_if_id is not None:
        return rng.choice(WHY_NOT)
    if kind == K.SHORT_TEXT:
        return rng.choice(IDEAS)
    if kind == K.LONG_TEXT:
        return rng.choice(BETTER)
    return None


def _answer_session(
    spec: DemoForm,
    questionnaire: Questionnaire,
    questions: list[Question],
    event: Event,
    recorder: User | None,
    rng: random.Random,
) -> None:
    people = _attendees(event)
    answering = [person for person in people if rng.random() < spec.response_share]
    after = event.ends_at + timedelta(minutes=30)
    for number, person in enumerate(answering):
        raw = {question.key: _raw(question, rng) for question in questions}
        if rng.random() < spec.paper_share:
            paper_response_enter(
                questionnaire=questionnaire,
                raw=raw,
                channel=ResponseChannel.PAPER,
                entry_key=f"demo-{event.pk:06d}-{number:04d}-sheet",
                recorded_by=recorder,
                participant_reference=""
                if spec.mode == ResponseMode.ANONYMOUS
                else person.reference,
                event=event,
                occurred_at=after,
            )
            continue
        respondent = Respondent(participant_reference=person.reference)
        response = None
        sections = sorted({question.section.position for question in questions})
        for position in sections:
            part = {q.key: raw[q.key] for q in questions if q.section.position == position}
            response = response_save_section(
                questionnaire=questionnaire,
                response=response,
                number=position,
                raw=part,
                respondent=respondent,
                event=event,
                now=after,
            ).response
        if response is not None:
            response_submit(response=response, now=after + timedelta(minutes=5))
