import random

from hypothesis import given
from hypothesis import strategies as st

from coproduce.core.references import ALPHABET, is_reference, new_reference


def test_references_use_only_unambiguous_symbols() -> None:
    for _ in range(200):
        reference = new_reference()
        assert is_reference(reference)
        assert not set(reference[2:].replace("-", "")) & set("ILOU")


def test_references_are_not_sequential() -> None:
    references = [new_reference() for _ in range(50)]
    assert len(set(references)) == 50
    assert references != sorted(references)


@given(st.integers(min_value=0, max_value=2**32))
def test_a_seeded_generator_gives_the_same_reference_every_time(seed: int) -> None:
    first = new_reference(rng=random.Random(seed))
    assert first == new_reference(rng=random.Random(seed))
    assert set(first[2:].replace("-", "")) <= set(ALPHABET)


def test_shapes_that_are_not_references_are_recognised() -> None:
    for value in ["", "P-1234", "P-ABCD-EFGI", "p-7kq2-9xd3", "P-7KQ2-9XD3-1"]:
        assert not is_reference(value)
