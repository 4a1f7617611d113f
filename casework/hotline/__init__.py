"""The 12345 government service hotline (and any other connected system) dispatching work
orders (工单) to the stations: intake through the API, and the result reported back (办结反馈)
through a signed callback."""
