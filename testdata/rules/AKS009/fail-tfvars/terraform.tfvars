# Break-glass access kept "temporarily".
local_accounts_disabled = false
