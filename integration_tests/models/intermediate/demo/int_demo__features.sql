-- One row per staged subscriber row: a quarantine reason (null = usable) and the
-- numeric features of the demo case. Bracket edges, vocabularies and valid ranges
-- come from var('segmentation').demo; nothing about them is hard-coded here.

{%- set demo = var('segmentation')['demo'] %}
{%- set brackets = demo['brackets'] %}
{%- set ranges = demo['valid_ranges'] %}
{%- set other_label = 'other' %}
{#- Vocabularies cleaned like staging cleans the values (non-binary -> non binary); same dummy names. -#}
{%- set categories = {} %}
{%- for column, values in demo['categories'].items() %}
    {%- do categories.update({column: customer_segmentation.seg_clean_values(values)}) %}
{%- endfor %}

{#- Checks every usable row passes, in the order their reasons are reported: numbers that do not
    parse (or, in whole_numbers, have a fraction), then the valid ranges. -#}
{%- set value_checks = [] %}
{%- for column in ['age', 'hours_per_week', 'children', 'yearly_income'] %}
    {%- do value_checks.extend(customer_segmentation.seg_number_checks(column, column in demo['whole_numbers'])) %}
{%- endfor %}
{%- do value_checks.extend([
    [customer_segmentation.seg_range_condition('age', ranges['age']), 'impossible_age'],
    [customer_segmentation.seg_range_condition('hours_per_week', ranges['hours_per_week']), 'invalid_hours_per_week'],
    [customer_segmentation.seg_range_condition('children', ranges['children']), 'invalid_children'],
    ['yearly_income is null or ' ~ customer_segmentation.seg_range_condition('yearly_income', ranges['yearly_income']),
     'invalid_yearly_income'],
]) %}
{%- set id_checks = customer_segmentation.seg_id_checks('subscriber_id') %}

with

-- Of rows sharing an id, keep the first: rows passing the value checks before
-- failing ones, then the most complete, then by column values (deterministic;
-- rows tying on everything are identical, so either may stay).
ranked as {{ customer_segmentation.seg_inline_cte() }} (

    {{ customer_segmentation.seg_ranked_rows(ref('stg_demo__subscribers'), 'subscriber_id', [
        'cast(gender is null as integer) + cast(education is null as integer)'
        ~ ' + cast(marital_status is null as integer) + cast(yearly_income is null as integer)'
        ~ ' + cast(favourite_genre is null as integer) asc',
        'age asc nulls last',
        'yearly_income asc nulls last',
        'children asc nulls last',
        'hours_per_week asc nulls last',
        'gender asc nulls last',
        'education asc nulls last',
        'marital_status asc nulls last',
        'favourite_genre asc nulls last',
    ], customer_segmentation.seg_quarantine_reason(value_checks)) }}

),

screened as {{ customer_segmentation.seg_inline_cte() }} (

    -- Read twice (the median fill and the rows): recomputing it, and ranked, costs
    -- less than storing every row (10M rows: 8 s instead of 10 s).
    select
        *,
        {{ customer_segmentation.seg_quarantine_reason(id_checks + value_checks) }} as quarantine_reason
    from ranked

),

filled as (

    -- Blank income: the median income of the usable rows (flagged, not a feature).
    -- Categories outside their vocabulary, blanks included, become 'other'.
    select
        subscriber_id,
        quarantine_reason,
        age,
        {{ customer_segmentation.seg_fill_median(
            'yearly_income', 'screened', where='quarantine_reason is null'
        ) }} as yearly_income,
        cast(yearly_income is null as integer) as income_was_blank,
        children,
        hours_per_week,
        {{ customer_segmentation.seg_fill_blank('gender', "'" ~ other_label ~ "'", categories['gender']) }} as gender,
        {{ customer_segmentation.seg_fill_blank(
            'education', "'" ~ other_label ~ "'", categories['education']
        ) }} as education,
        {{ customer_segmentation.seg_fill_blank(
            'marital_status', "'" ~ other_label ~ "'", categories['marital_status']
        ) }}
            as marital_status,
        {{ customer_segmentation.seg_fill_blank(
            'favourite_genre', "'" ~ other_label ~ "'", categories['favourite_genre']
        ) }}
            as favourite_genre
    from screened

),

bracketed as (

    select
        *,
        {{ customer_segmentation.seg_bracket('age', brackets['age']) }} as age_bracket,
        {{ customer_segmentation.seg_bracket('hours_per_week', brackets['hours_per_week']) }} as hours_per_week_bracket,
        {{ customer_segmentation.seg_bracket('yearly_income', brackets['yearly_income']) }} as yearly_income_bracket
    from filled

)

select
    subscriber_id,
    quarantine_reason,
    cast(age as integer) as age,
    cast(yearly_income as double) as yearly_income,
    income_was_blank,
    cast(children as integer) as children,
    cast(hours_per_week as double) as hours_per_week,
    {{ customer_segmentation.seg_dummies(
        'age_bracket', customer_segmentation.seg_bracket_labels(brackets['age']), 'age'
    ) }},
    {{ customer_segmentation.seg_dummies(
        'hours_per_week_bracket', customer_segmentation.seg_bracket_labels(brackets['hours_per_week']), 'hours_per_week'
    ) }},
    {{ customer_segmentation.seg_dummies(
        'yearly_income_bracket', customer_segmentation.seg_bracket_labels(brackets['yearly_income']), 'yearly_income'
    ) }},
    {{ customer_segmentation.seg_dummies(
        'marital_status', categories['marital_status'] + [other_label], 'marital_status'
    ) }},
    {{ customer_segmentation.seg_dummies('education', categories['education'] + [other_label], 'education') }},
    {{ customer_segmentation.seg_dummies('gender', categories['gender'] + [other_label], 'gender') }},
    {{ customer_segmentation.seg_dummies(
        'favourite_genre', categories['favourite_genre'] + [other_label], 'favourite_genre'
    ) }}
from bracketed
