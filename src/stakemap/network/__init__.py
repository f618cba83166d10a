"""The influence network: the graph of who influences whom (graph), who matters in it
(measures, communities), where everyone is drawn (layout, with igraph's spring layout in
springs, free spots for newcomers and nobody on another's line in spots), the drawing itself,
an offline vis-network page (drawing, with its script in drawing.js), and routes to a person
in plain words (messengers).

May import the layers below it (docs/architecture.md): model, settings, values, schema, legend.
"""
