"""Files in and out: raw sheets (sheets) read from workbooks, CSV and graph files (reading,
csvfiles, graphfiles) once what they declare is checked (declared), in a sandboxed child
process (sandbox); a sheet's header, columns and rows (columns), a cell's text as a field
(cells), Kumu's ways (kumu), the map or the list of problems an import gives (importing,
outcome), and the editor's tables (table); maps written back as workbooks, CSV and Kumu
(exporting, csvfiles, kumu), GraphML (graphml) and GEXF (gexf), what the two graph formats
carry (graphdata).

May import the layers below it (docs/architecture.md): model, settings, values, schema,
legend, samples, lenses, network, planning.
"""
