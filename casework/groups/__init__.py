"""Group work (小组工作) and community work (社区活动), with volunteers."""
