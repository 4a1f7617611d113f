"""Workers' monthly and annual summaries (工作小结) and the annual assessment (年度考核)."""
