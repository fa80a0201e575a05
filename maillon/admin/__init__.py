"""Administration: login, uploads, import check/apply/restore, changes, the import log, import
formats and the backup. May import maillon.data and maillon.database.
"""
