"""Properties over random inputs (hypothesis): stepping is reversible, plans are deterministic."""
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator import trace
from simulator.steps import build_plan, run_iteration
from simulator.walkthrough import Cursor
from tests.helpers import KINDS, random_scenario


@given(length=st.integers(1, 60), start=st.integers(0, 59), k=st.integers(0, 80))
def test_k_nexts_then_k_backs_return_to_the_same_step(length, start, k):
    cursor = Cursor(length).jump(start)
    forward = cursor
    for _ in range(k):
        forward = forward.next()
    back = forward
    for _ in range(k):
        back = back.back()
    if cursor.index + k <= length - 1:
        assert back == cursor  # nothing was cut off at the end
    assert 0 <= back.index <= cursor.index and forward.index == min(cursor.index + k, length - 1)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), kind=st.sampled_from(KINDS))
def test_the_plan_built_twice_from_one_scenario_is_identical(seed, kind):
    hidden_layers, hidden, (output, loss) = kind
    scenario = random_scenario(seed, hidden_layers, hidden, output, loss)
    first = trace.to_trace(run_iteration(scenario), build_plan(scenario))
    second = trace.to_trace(run_iteration(scenario), build_plan(scenario))
    assert first == second
