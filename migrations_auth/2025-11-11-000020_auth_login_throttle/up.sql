-- Throttles logins per client (accounts::users::login): the failed attempts of
-- one IP address in a recent window are counted from this partial index
-- instead of a scan of the audit log. Per-account lockout alone let anyone lock
-- any account; counting per client as well lets a lock keep strangers out
-- without keeping the account's own known clients out.

CREATE INDEX idx_audit_logs_ip_address_created_at_login_failed
    ON audit_logs (ip_address, created_at DESC)
    WHERE action = 'user.login_failed';
