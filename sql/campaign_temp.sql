-- campaign_temp.sql — staging tables for the campaign's changes (dropped at commit).
CREATE TEMP TABLE campaign_refresh (target_id bigint, town_code text, months_unpaid integer, last_paid integer) ON COMMIT DROP;
CREATE TEMP TABLE campaign_close (target_id bigint, resolution text) ON COMMIT DROP;
