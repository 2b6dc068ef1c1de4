-- One row per staged retail customer: a quarantine reason (null = usable) and the
-- numeric features of the campaign case. Vocabularies, mappings, brackets and valid
-- ranges come from var('segmentation').campaign. Age and tenure are measured at the
-- reference date = the last enrolment date in the data (max enrolled_on), not today.
-- `response` (the last campaign's outcome) is carried for the response marts and model;
-- it is a target, never a clustering feature (tests/data/assert_no_target_among_features).
{{ config(enabled=customer_segmentation.seg_features_model_selected('int_campaign__features')) }}

{%- set campaign = var('segmentation')['campaign'] %}
{%- set brackets = campaign['brackets'] %}
{%- set categories = campaign['categories'] %}
{%- set marital_map = campaign['category_map']['marital_status'] %}
{%- set invalid_marital = campaign['invalid_categories']['marital_status'] %}
{%- set ranges = campaign['valid_ranges'] %}
{%- set products = campaign['custom']['products'] %}
{%- set channels = campaign['custom']['channels'] %}
{%- set other_label = 'other' %}
{%- set spend_columns = [] %}
{%- for product in products %}{% do spend_columns.append('spend_' ~ product) %}{% endfor %}
{%- set channel_columns = [] %}
{%- for channel in channels %}{% do channel_columns.append('purchases_' ~ channel) %}{% endfor %}
{%- set count_conditions = [] %}
{%- for column in ['recency_days', 'purchases_deals', 'web_visits_month'] + spend_columns + channel_columns %}
    {%- do count_conditions.append(column ~ ' >= 0') %}
{%- endfor %}
{%- set flag_conditions = [] %}
{%- for column in ['accepted_cmp1', 'accepted_cmp2', 'accepted_cmp3', 'accepted_cmp4', 'accepted_cmp5',
    'complained', 'response'] %}
    {%- do flag_conditions.append(column ~ ' in (0, 1)') %}
{%- endfor %}
{%- set invalid_marital_list = [] %}
{%- for value in invalid_marital %}
    {%- do invalid_marital_list.append(customer_segmentation.seg_literal(value)) %}
{%- endfor %}

{#- Checks every usable row passes, in the order their reasons are reported. -#}
{%- set value_checks = [
    ['enrolled_on is not null', 'missing_enrolment_date'],
    [customer_segmentation.seg_range_condition('birth_year', ranges['birth_year']), 'implausible_birth_year'],
    ['marital_status is null or marital_status not in (' ~ invalid_marital_list | join(', ') ~ ')',
     'invalid_marital_status'],
    ['income is null or ' ~ customer_segmentation.seg_range_condition('income', ranges['income']),
     'implausible_income'],
    [customer_segmentation.seg_range_condition('kids_at_home', ranges['children']) ~ ' and '
     ~ customer_segmentation.seg_range_condition('teens_at_home', ranges['children']), 'invalid_household'],
    [count_conditions | join(' and '), 'invalid_spend_or_purchases'],
    [flag_conditions | join(' and '), 'invalid_flag'],
] %}
{%- set id_checks = customer_segmentation.seg_id_checks('customer_id') %}

with

customers as (

    select * from {{ ref('stg_campaign__customers') }}

),

mapped as (

    -- Marital statuses that are another word for a vocabulary value ("alone" -> "single").
    select
        * exclude (marital_status),
        {{ customer_segmentation.seg_map_values('marital_status', marital_map) }} as marital_status,
        max(enrolled_on) over () as reference_date
    from customers

),

-- Of rows sharing an id, keep the first: rows passing the value checks before failing
-- ones, then the earliest enrolment, then by column values (deterministic).
ranked as (

    {{ customer_segmentation.seg_ranked_rows('mapped', 'customer_id', [
        'enrolled_on asc nulls last',
        'birth_year asc nulls last',
        'income asc nulls last',
        'marital_status asc nulls last',
        'education asc nulls last',
    ], customer_segmentation.seg_quarantine_reason(value_checks)) }}

),

screened as (

    select
        *,
        {{ customer_segmentation.seg_quarantine_reason(id_checks + value_checks) }} as quarantine_reason
    from ranked

),

derived as (

    select
        customer_id,
        quarantine_reason,
        reference_date,
        enrolled_on,
        year(reference_date) - birth_year as age,
        -- Blank income: the median income of the usable rows (flagged, not a feature).
        {{ customer_segmentation.seg_fill_median('income', 'screened', where='quarantine_reason is null') }} as income,
        cast(income is null as integer) as income_was_blank,
        kids_at_home,
        teens_at_home,
        kids_at_home + teens_at_home as children,
        cast(marital_status in (
            {%- for status in campaign['custom']['partner_statuses'] -%}
                {{ customer_segmentation.seg_literal(status) }}{{ ', ' if not loop.last }}
            {%- endfor -%}
        ) as integer) as lives_with_partner,
        date_diff('day', enrolled_on, reference_date) as tenure_days,
        recency_days,
        {%- for product in products %}
            spend_{{ product }},
        {%- endfor %}
        {{ spend_columns | join(' + ') }} as total_spend,
        purchases_deals,
        {%- for channel in channels %}
            purchases_{{ channel }},
        {%- endfor %}
        {{ channel_columns | join(' + ') }} as total_purchases,
        web_visits_month,
        accepted_cmp1 + accepted_cmp2 + accepted_cmp3 + accepted_cmp4 + accepted_cmp5 as accepted_campaigns,
        complained,
        response,
        {{ customer_segmentation.seg_fill_blank(
            'education', "'" ~ other_label ~ "'", categories['education']
        ) }} as education,
        {{ customer_segmentation.seg_fill_blank(
            'marital_status', "'" ~ other_label ~ "'", categories['marital_status']
        ) }}
            as marital_status
    from screened

),

bracketed as (

    select
        *,
        {{ customer_segmentation.seg_bracket('age', brackets['age']) }} as age_bracket,
        {{ customer_segmentation.seg_bracket('income', brackets['income']) }} as income_bracket
    from derived

)

select
    customer_id,
    quarantine_reason,
    reference_date,
    enrolled_on,
    cast(age as integer) as age,
    cast(income as double) as income,
    income_was_blank,
    kids_at_home,
    teens_at_home,
    children,
    cast(children > 0 as integer) as has_children,
    lives_with_partner,
    1 + lives_with_partner + children as household_size,
    cast(tenure_days as integer) as tenure_days,
    recency_days,
    {%- for product in products %}
        spend_{{ product }},
    {%- endfor %}
    total_spend,
    -- Share of the two-year spend per product; 0 for every product when nothing was spent.
    {%- for product in products %}
        coalesce(spend_{{ product }} / nullif(total_spend, 0), 0) as share_{{ product }},
    {%- endfor %}
    purchases_deals,
    {%- for channel in channels %}
        purchases_{{ channel }},
    {%- endfor %}
    total_purchases,
    web_visits_month,
    accepted_campaigns,
    complained,
    response,
    {{ customer_segmentation.seg_dummies(
        'age_bracket', customer_segmentation.seg_bracket_labels(brackets['age']), 'age'
    ) }},
    {{ customer_segmentation.seg_dummies(
        'income_bracket', customer_segmentation.seg_bracket_labels(brackets['income']), 'income'
    ) }},
    {{ customer_segmentation.seg_dummies('education', categories['education'] + [other_label], 'education') }},
    {{ customer_segmentation.seg_dummies(
        'marital_status', categories['marital_status'] + [other_label], 'marital_status'
    ) }}
from bracketed
