purge_protection = false
