local_accounts_disabled = true
