"""Files in and out: raw sheets (sheets) read from workbooks, CSV and graph files (reading,
graphfiles) in a sandboxed child process (sandbox), turned into a map or a list of problems
(importing, table); maps written back as workbooks, CSV, Kumu, GraphML and GEXF (exporting,
graphfiles).

May import: model, settings, values, schema, legend, and the domain packages whose results a
file carries (lenses, network, planning). Nothing below imports files.
"""
