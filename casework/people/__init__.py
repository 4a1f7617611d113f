"""Service users (服务对象): the residents the stations serve, and their households."""
