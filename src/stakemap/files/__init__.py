"""Files in and out: raw sheets (sheets) read from workbooks, CSV and graph files (reading,
graphfiles) in a sandboxed child process (sandbox); a sheet's header, columns and rows
(columns), a cell's text as a field (cells), the map or the list of problems an import gives
(importing, outcome), and the editor's tables (table); maps written back as workbooks, CSV,
Kumu, GraphML and GEXF (exporting, graphfiles).

May import the layers below it (docs/architecture.md): model, settings, values, schema,
legend, samples, lenses, network, planning.
"""
