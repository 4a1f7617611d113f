"""Generated test data at station, city and province scale (``flask casework generate``).

The data is fictitious but shaped like a real province's: names drawn with real surname
frequencies, valid GB 11643 ID numbers, cases in every stage of the lifecycle with the
records each stage implies, and service records composed from phrase banks so that the
two-character words social workers search for (独居, 低保, 家暴 …) recur as they do in
real notes. Rows go in with bulk inserts (SQLite) or COPY (PostgreSQL).
"""
