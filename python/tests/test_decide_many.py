"""decide_many(): parallel on C++ threads, equal to sequential decide()."""

import threading

import pytest

import tact

from conftest import example_policies


def _batch(contexts, copies=25):
    batch = []
    for i in range(copies):
        for context in contexts.values():
            batch.append(context)
    return batch


@pytest.mark.parametrize("threads", [None, 1, 2, 8, 1000])
def test_equals_sequential(engine, contexts, threads):
    batch = _batch(contexts)
    sequential = [engine.decide(c, authority="bot", trace=True) for c in batch]
    parallel = engine.decide_many(batch, authority="bot", trace=True, threads=threads)
    assert len(parallel) == len(sequential)
    assert [d.to_json() for d in parallel] == [d.to_json() for d in sequential]


@pytest.mark.parametrize("trace", ["off", "evaluated", "full"])
def test_each_trace_level_equals_sequential(engine, contexts, trace):
    batch = _batch(contexts, copies=2)
    sequential = [engine.decide(c, trace=trace) for c in batch]
    parallel = engine.decide_many(batch, trace=trace, threads=2)
    assert [d.to_json() for d in parallel] == [d.to_json() for d in sequential]
    level = {"off": "TRACE_OFF", "evaluated": "TRACE_EVALUATED",
             "full": "TRACE_FULL"}[trace]
    assert all(d.to_dict().get("traceLevel", "TRACE_OFF") == level
               for d in parallel)


def test_accepts_any_iterable_and_mixed_forms(engine, contexts):
    import json
    items = list(contexts.values())
    mixed = [items[0], json.dumps(items[1 % len(items)])]
    expected = [engine.decide(c) for c in mixed]
    assert engine.decide_many(iter(mixed)) == expected
    assert engine.decide_many(c for c in mixed) == expected
    assert engine.decide_many([]) == []


def test_bad_context_raises_with_its_index(engine, contexts):
    good = next(iter(contexts.values()))
    with pytest.raises(tact.ContextError) as info:
        engine.decide_many([good, good, {"no": "now"}, good])
    assert info.value.index == 2
    with pytest.raises(tact.ContextError) as info:
        engine.decide_many([good, {"now": {1, 2}}])
    assert info.value.index == 1


def test_return_exceptions(engine, contexts):
    good = next(iter(contexts.values()))
    results = engine.decide_many([good, "{", b"\xff", {"x": {1}}, good],
                                 return_exceptions=True)
    assert isinstance(results[0], tact.Decision)
    assert [type(r) for r in results[1:4]] == [tact.ContextError] * 3
    assert [r.index for r in results[1:4]] == [1, 2, 3]
    assert results[4] == results[0]


def test_invalid_arguments(engine, contexts):
    good = next(iter(contexts.values()))
    for threads in (0, -1, 1.5, True):
        with pytest.raises(ValueError):
            engine.decide_many([good], threads=threads)
    with pytest.raises(ValueError):
        engine.decide_many([good], authority="nobody")
    with pytest.raises(TypeError):
        engine.decide_many([good, 42])


def test_concurrent_python_threads_share_one_engine(engine, contexts):
    batch = _batch(contexts, copies=4)
    expected = [d.to_json() for d in engine.decide_many(batch, threads=1)]
    results = {}

    def worker(n):
        if n % 2:
            results[n] = [engine.decide(c).to_json() for c in batch]
        else:
            results[n] = [d.to_json() for d in engine.decide_many(batch, threads=2)]

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert all(r == expected for r in results.values())


@pytest.mark.parametrize("path", example_policies())
def test_every_example_policy(path, contexts):
    engine = tact.Engine.from_file(path)
    batch = list(contexts.values())
    assert engine.decide_many(batch) == [engine.decide(c) for c in batch]
