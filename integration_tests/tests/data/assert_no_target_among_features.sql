-- No leakage: fails with one row per (case, feature) where a clustering feature of a case is
-- one of its target columns. For every case in var('segmentation'), the forbidden names are
-- its `target_columns`; for the campaign case `response` is always forbidden as well (the
-- outcome of the campaign the response marts and model evaluate). Names compare case-insensitively.
-- Checked at compile time on the configuration, so it runs whatever cases the build selects.

{%- set cases = var('segmentation') %}
{%- set violations = [] %}
{%- for case_name, case in cases.items() %}
    {%- set forbidden = [] %}
    {%- for target in case.get('target_columns') or [] %}
        {%- do forbidden.append(target | lower) %}
    {%- endfor %}
    {%- if case_name == 'campaign' %}{% do forbidden.append('response') %}{% endif %}
    {%- for feature in case.get('features') or [] %}
        {%- if feature | lower in forbidden %}
            {%- do violations.append([case_name, feature | lower]) %}
        {%- endif %}
    {%- endfor %}
{%- endfor %}

{%- if violations %}
    {%- for violation in violations %}
        select
            '{{ violation[0] }}' as case_name,
            '{{ violation[1] }}' as feature
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- else %}
    select
        cast(null as varchar) as case_name,
        cast(null as varchar) as feature
    where false
{%- endif %}
