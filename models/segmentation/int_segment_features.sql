-- The feature rows of every plain case (a case without its own features_model), one per source row,
-- generated from its settings by seg_plain_features. Cases with a features_model are not here.
{%- set plain = [] %}
{%- for case_name in seg_cases() %}
    {%- if not seg_spec(case_name).features_model %}
        {%- do plain.append(case_name) %}
    {%- endif %}
{%- endfor %}
{%- for case_name in plain %}
    select * from (
        {{ seg_plain_features(case_name) }}
    ) as {{ adapter.quote('case_' ~ loop.index) }}
    {% if not loop.last %}union all by name{% endif %}
{%- else %}
    select
        cast(null as varchar) as case_name,
        cast(null as varchar) as quarantine_reason
    where false
{%- endfor %}
