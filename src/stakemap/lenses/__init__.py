"""The lenses: what a lens is (kinds), the six lenses users know (catalogue), where each person
sits on one (placement), the people on a lens (people), and the lens drawn as an Altair chart
sized for a desk, a projector or a phone (style, labels, chart).

May import: model, values, legend. Everything above (planning's reports, files, room, pages)
may import the lenses.
"""
