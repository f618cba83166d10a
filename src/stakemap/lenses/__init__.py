"""The lenses: what a lens is (kinds), the six lenses users know (catalogue), where each person
sits on one (placement), the people on a lens (people), and the lens drawn as an Altair chart
(chart) at a size and with labels that stay legible on a desk, a projector or a phone (sizing).

May import the layers below it (docs/architecture.md): model, settings, values, schema, legend.
"""
