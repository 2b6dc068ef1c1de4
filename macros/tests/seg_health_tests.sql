{#-
  Segment health: generic tests that watch a deployed model. Thresholds and severity come from
  vars.segment_health (warn by default); each test returns the offending cases, segments or features.
-#}

{% test seg_population_stability(model, max_psi=none) %}
  {#- max_psi defaults to segment_health.max_population_stability_index; severity: segment_health.severity (seg_health). -#}
  {{ config(severity=customer_segmentation.seg_health()['severity']) }}
  {%- set max_psi = customer_segmentation.seg_number(customer_segmentation.seg_health()['max_population_stability_index'] if max_psi is none else max_psi, 'max_psi') -%}
  {#- Population stability index of today's segment shares against the model's training shares. -#}
  select
    case_name,
    sum({{ customer_segmentation.seg_psi_term('share', 'training_share') }}) as population_stability_index
  from {{ model }}
  group by case_name
  having sum({{ customer_segmentation.seg_psi_term('share', 'training_share') }}) > {{ max_psi }}
{% endtest %}


{% macro seg_psi_term(share, expected_share) %}
  {#- One segment's term of the population stability index, sum((a - e) * ln(a / e)); shares floored at 1e-6
      so that an empty segment counts as a large shift instead of an infinity. Arguments: column expressions. -#}
  (greatest({{ share }}, 0.000001) - greatest({{ expected_share }}, 0.000001))
  * ln(greatest({{ share }}, 0.000001) / greatest({{ expected_share }}, 0.000001))
{%- endmacro %}


{% test seg_segment_churn(model, max_churn=none) %}
  {#- max_churn defaults to segment_health.max_segment_churn; severity: segment_health.severity (seg_health). -#}
  {{ config(severity=customer_segmentation.seg_health()['severity']) }}
  {%- set max_churn = customer_segmentation.seg_number(customer_segmentation.seg_health()['max_segment_churn'] if max_churn is none else max_churn, 'max_churn') -%}
  {#- Share of a case's customers whose segment changed in the latest scoring (ids are matched across refits). -#}
  with latest as (
    select case_name, max(scored_at) as scored_at
    from {{ model }}
    group by case_name
  )

  select
    scores.case_name,
    avg(case
      when scores.scored_at = latest.scored_at and scores.previous_segment_id != scores.segment_id then 1.0
      else 0.0
    end) as churn
  from {{ model }} as scores
  inner join latest on scores.case_name = latest.case_name
  group by scores.case_name
  having avg(case
    when scores.scored_at = latest.scored_at and scores.previous_segment_id != scores.segment_id then 1.0
    else 0.0
  end) > {{ max_churn }}
{% endtest %}


{% test seg_centroid_shift(model, max_shift=none) %}
  {#- max_shift defaults to segment_health.max_centroid_shift; severity: segment_health.severity (seg_health). -#}
  {{ config(severity=customer_segmentation.seg_health()['severity']) }}
  {%- set max_shift = customer_segmentation.seg_number(customer_segmentation.seg_health()['max_centroid_shift'] if max_shift is none else max_shift, 'max_shift') -%}
  {#- Segments of the current model whose centroid moved further than max_shift (standardised units) at the refit. -#}
  select *
  from {{ model }}
  where is_current and centroid_shift > {{ max_shift }}
{% endtest %}


{% test seg_silhouette_floor(model, min_silhouette=none) %}
  {#- min_silhouette defaults to segment_health.min_silhouette; severity: segment_health.severity (seg_health). -#}
  {{ config(severity=customer_segmentation.seg_health()['severity']) }}
  {%- set min_silhouette = customer_segmentation.seg_number(customer_segmentation.seg_health()['min_silhouette'] if min_silhouette is none else min_silhouette, 'min_silhouette') -%}
  {#- Current models whose silhouette (on a bounded sample) is below the floor. -#}
  select case_name, model_id, silhouette
  from {{ model }}
  where is_current and silhouette < {{ min_silhouette }}
{% endtest %}


{% test seg_feature_drift(model, max_drift=none) %}
  {#- max_drift defaults to segment_health.max_feature_drift; severity: segment_health.severity (seg_health). -#}
  {{ config(severity=customer_segmentation.seg_health()['severity']) }}
  {%- set max_drift = customer_segmentation.seg_number(customer_segmentation.seg_health()['max_feature_drift'] if max_drift is none else max_drift, 'max_drift') -%}
  {#- Features whose mean today (model: this build's scaler) moved more than max_drift training sds. -#}
  {%- set drift = customer_segmentation.seg_drift_in_sd('today.mean_value', 'trained.mean_value', 'trained.sd_value') %}
  select
    today.case_name,
    today.feature,
    {{ drift }} as drift_in_sd
  from {{ model }} as today
  inner join {{ ref('int_segment_model_scalers') }} as trained
    on today.case_name = trained.case_name and today.feature = trained.feature and trained.is_current
  where {{ drift }} > {{ max_drift }}
{% endtest %}


{% test seg_blank_fill_share(model, max_share=none) %}
  {#- max_share defaults to segment_health.max_blank_fill_share; severity: segment_health.severity (seg_health). -#}
  {{ config(severity=customer_segmentation.seg_health()['severity']) }}
  {%- set max_share = customer_segmentation.seg_number(customer_segmentation.seg_health()['max_blank_fill_share'] if max_share is none else max_share, 'max_share') -%}
  {#- Blank-fill flags set on more than max_share of a case's usable rows: a statistic (the median) stands
      in for too many of the values. The flags: a case's blank_fill_flags, and a plain case's median rules
      (<column>_was_blank, also when the column is not a clustering feature). -#}
  {%- set flags = [] -%}
  {%- for case_name in customer_segmentation.seg_cases() -%}
    {%- set spec = customer_segmentation.seg_spec(case_name) -%}
    {%- set columns = spec.blank_fill_flags.values() | list -%}
    {%- for column, rule in spec.blank_rules.items() if rule == 'median' and not spec.features_model -%}
      {%- do columns.append(column ~ '_was_blank') -%}
    {%- endfor -%}
    {%- for flag in columns | unique -%}
      {%- do flags.append([case_name, flag]) -%}
    {%- endfor -%}
  {%- endfor %}
  with shares as (
    {%- for case_name, flag in flags %}
      select
        {{ customer_segmentation.seg_literal(case_name) }} as case_name,
        {{ customer_segmentation.seg_literal(flag) }} as blank_flag,
        avg(usable.{{ adapter.quote(flag | lower) }}) as blank_share
      from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
      union all
    {%- endfor %}
      select null as case_name, null as blank_flag, 0 as blank_share
  )

  select *
  from shares
  where blank_share > {{ max_share }}
{% endtest %}
