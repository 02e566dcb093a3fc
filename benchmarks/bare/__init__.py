"""A bare one-view Django app: the ceiling ``bench_public`` compares Coproduce with.

Two views, no middleware, no sessions, no authentication: ``POST /insert/`` stores the
request's JSON body as one row of a one-table PostgreSQL database, ``GET /page/`` renders
a simple template over a static list. Served by gunicorn with ``benchmarks.bare.wsgi``.
"""
