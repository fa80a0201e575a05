"""Administration: login, uploads, import check/apply/restore, changes, the import log, import
formats and the backup; open data read as published (DECP contracts, SIRENE register) and merged
into the data in service. May import maillon.data and maillon.database.
"""
