"""Module averages and calificative ("marks"): the teacher's grid for a class and module, the spreadsheet import and
a child's marks in a school year. Pure rules in `values.py`; the pages are in the "attendance" URL namespace."""
