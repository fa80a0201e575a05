"""Writing database versions: the build, validation of files and business rules, the real reference
files and the demo generators. May import maillon.data.
"""
