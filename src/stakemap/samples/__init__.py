"""Sample maps: the founding cases, the template and the app's samples (cases), and maps drawn
at random for tests and timings (synthetic).

May import: model.
"""
