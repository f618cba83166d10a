"""The plan: what people think (opinion), how the body decides (rule) and who is pivotal in it
(pivotal), how opinions move (influence), the problem the planner solves (problem), its greedy
and exact searches (greedy; exact over the programme), how sure a plan is on nearby maps
(confidence), the plan itself (planner, record, words, report), what-if and unlocks (whatif,
unlock), and a plan followed meeting by meeting (following).

May import the layers below it (docs/architecture.md): model, settings, values, schema, legend,
samples, lenses, network.
"""
