-- source.sql — the source contract: schema si_src, filled by the four legacy
-- agency systems (机关事业单位社保中心, 社会劳动保险管理中心, 城乡居民社保中心,
-- 人力资源公共服务中心). sibatch only reads these tables. Names, columns and
-- meanings are fixed (other tools load data into them); columns are loosely
-- typed on purpose: the legacy systems send dirty values and sibatch copes.
-- Idempotent: creates what is missing, never drops or changes data.

CREATE SCHEMA IF NOT EXISTS si_src;

CREATE TABLE IF NOT EXISTS si_src.employer (      -- 参保单位 (ab01)
    unit_id            bigint PRIMARY KEY,
    credit_code        text,        -- 统一社会信用代码 GB 32100-2015; may be invalid or NULL
    name               text,
    industry_code      text,        -- GB/T 4754, e.g. 'C1810'
    injury_risk_class  smallint,    -- 工伤保险行业风险类别 1..8; may be NULL or out of range
    town_code          text         -- 9-digit township code (shared/docs/domain.md)
);

CREATE TABLE IF NOT EXISTS si_src.enrollment (    -- 参保登记 (ac02): one row per person per scheme per agency record
    enrollment_id       bigint PRIMARY KEY,
    source_system       text,       -- institution | enterprise | resident | employment
    id_number           text,       -- 公民身份号码 as keyed in (dirty)
    name                text,
    gender              text,       -- GB/T 2261.1: 1 male, 2 female, 9 unstated; may be junk
    birth_date          date,
    insurance_type      text,       -- 险种类型 aae140: 110, 120, 170, 210, 410 (310/510 out of scope); junk possible
    unit_id             bigint,     -- NULL for residents and flexible workers
    worker_category     text,       -- employee | flexible | project | land_expropriated | resident
    town_code           text,
    start_month         integer,    -- YYYYMM
    end_month           integer,    -- YYYYMM, NULL while open
    status              text,       -- 参保状态 aac008: 1 参保缴费, 2 暂停缴费, 3 终止缴费
    benefit_start_month integer,    -- YYYYMM from which a pension is drawn (待遇领取), NULL if not
    updated_at          timestamptz
);

CREATE TABLE IF NOT EXISTS si_src.contribution (  -- 缴费记录 (ac43): one row per enrollment per month paid for
    enrollment_id    bigint,         -- may reference a missing enrollment (orphan)
    period           integer,        -- 费款所属期 aae002 YYYYMM; 170 pays yearly: 12 monthly rows, one paid_on
    base             numeric(12,2),
    employer_amount  numeric(12,2),  -- for 170 rows: the collective subsidy 集体补助
    personal_amount  numeric(12,2),
    paid_on          date
);

CREATE TABLE IF NOT EXISTS si_src.population (    -- 全民参保登记 base: 户籍, 常住 and 新市民
    pop_id       bigint PRIMARY KEY,
    id_number    text,               -- dirty like enrollment.id_number
    name         text,
    gender       text,
    birth_date   date,
    town_code    text,
    residence    text,               -- hukou | resident | new_citizen
    deceased_on  date,
    in_school    boolean
);

-- Reading contributions per enrollment in period order is what sibatch does.
CREATE INDEX IF NOT EXISTS contribution_enrollment_period_idx
    ON si_src.contribution (enrollment_id, period);

COMMENT ON SCHEMA si_src IS 'Source contract of sibatch: the four agencies'' rolls (read-only for sibatch)';
COMMENT ON TABLE si_src.employer IS '参保单位 (ab01)';
COMMENT ON TABLE si_src.enrollment IS '参保登记 (ac02): one row per person per scheme per agency record';
COMMENT ON TABLE si_src.contribution IS '缴费记录 (ac43): one row per enrollment per month paid for';
COMMENT ON TABLE si_src.population IS '全民参保登记 base: hukou, resident and new-citizen people known to the city';
