import pytest

from simulator.walkthrough import Cursor


def test_moves_and_predicates():
    c = Cursor(24)
    assert c.index == 0 and not c.can_back and c.can_next
    assert c.next().next().index == 2
    assert c.last().index == 23 and c.last().at_last and not c.last().can_next
    assert c.last().back().index == 22
    assert c.jump(100).index == 23 and c.jump(-5).index == 0
    assert c.next().first() == c
    assert c.back() == c  # nothing before the first step


def test_rejects_impossible_cursors():
    with pytest.raises(ValueError):
        Cursor(0)
    with pytest.raises(IndexError):
        Cursor(3, 3)
