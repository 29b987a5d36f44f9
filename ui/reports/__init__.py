"""Files for people: charts and spreadsheets, drawn from library results."""
