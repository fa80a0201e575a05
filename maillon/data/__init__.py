"""The one way to read the database: settings, paths, the query path (named SQL, bound parameters,
one version per page run), global filters, the catalog, and the bounded worker for visitors'
queries. Imports nothing from the other subpackages.
"""
