"""``envfactory new``: write a working environment package, from the example service or an OpenAPI spec.

:mod:`.target` decides where the files go (the suite's repository or an author's own project) and writes
them all or nothing; :mod:`.skeleton` renders the example service; :mod:`.openapi` maps a spec's schemas and
operations to models and tool stubs; :mod:`.first_tasks` loads the new package and synthesizes its tasks.
"""
