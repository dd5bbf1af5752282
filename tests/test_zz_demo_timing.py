import time

import pytest


@pytest.mark.django_db
def test_demo_timing():
    from lantoa.portal.demo.plans import load_demo_plans
    from lantoa.portal.demo.reporting import load_demo_reporting
    from lantoa.portal.demo.units import load_demo

    t = time.perf_counter()
    load_demo()
    load_demo_plans()
    load_demo_reporting()
    base = time.perf_counter() - t
    extra = 0.0
    try:
        from lantoa.portal.demo.content import load_demo_content

        t = time.perf_counter()
        n = load_demo_content()
        extra = time.perf_counter() - t
    except ImportError as e:
        n = repr(e)
    print(f"\nDEMO base {base:.2f}s content {extra:.2f}s published {n}")
