{% macro seg_lift_intervals(
  case_name, target_column, replicates=1000, confidence=0.95, seed=42, settings='seg_lift_intervals'
) %}
  {#-
    Bootstrap percentile interval of each segment's lift (segment response rate / overall rate), in SQL.
    The classical bootstrap resamples customers with replacement; here each customer gets a Poisson(1)
    weight per replicate instead (the number of times a resample of n draws picks them is Binomial(n, 1/n),
    which tends to Poisson(1)), so no resample is materialised and replicates are plain weighted sums.
    Both the segment's rate and the overall rate are recomputed from the same weights in each replicate:
    the lift's denominator varies too, and its correlation with the segment's own rate is kept.
    Weights come from hash(customer_id, replicate, seed): the top 53 bits are a uniform integer u in
    [0, 2^53), and the weight is the smallest w with u < ceil(Poisson(1) cdf(w) * 2^53) (inverse cdf,
    integer comparisons only, so nothing depends on float rounding). The same seed on the same rows gives
    the same interval (for one DuckDB version: hash() is DuckDB's own). A replicate in which the segment
    draws no customer has no lift for it and is left out of its interval (lift_replicates counts the rest);
    one in which it draws customers but no responder has lift 0 and counts.
    settings: where the numbers came from, for the error messages.
  -#}
  {%- set replicates = customer_segmentation.seg_number(replicates, settings ~ '.bootstrap_replicates') -%}
  {%- if replicates != replicates | int or replicates < 100 -%}
    {{ exceptions.raise_compiler_error(
      settings ~ ".bootstrap_replicates must be a whole number of at least 100 (the interval's ends are "
      ~ "tail percentiles of the replicates), got " ~ replicates ~ "."
    ) }}
  {%- endif -%}
  {%- set confidence = customer_segmentation.seg_number(confidence, settings ~ '.confidence') -%}
  {%- if confidence <= 0 or confidence >= 1 -%}
    {{ exceptions.raise_compiler_error(
      settings ~ ".confidence must lie strictly between 0 and 1 (0.95 for a 95% interval), got " ~ confidence ~ "."
    ) }}
  {%- endif -%}
  {%- set seed = customer_segmentation.seg_number(seed, settings ~ '.random_state') -%}
  {%- if seed != seed | int or seed < 0 -%}
    {{ exceptions.raise_compiler_error(
      settings ~ ".random_state must be a whole number >= 0, got " ~ seed ~ "."
    ) }}
  {%- endif -%}
  {#- ceil(cdf(w) * 2^53) of Poisson(1) for w = 0..15 (p(0) = e^-1, p(w) = p(w - 1) / w); a weight
      above 15 (probability 2e-14 per draw) is counted as 16. -#}
  {%- set poisson = {'p': 0.36787944117144233, 'cdf': 0.0} -%}
  {%- set thresholds = [] -%}
  {%- for w in range(16) -%}
    {%- if w > 0 -%}{%- do poisson.update({'p': poisson.p / w}) -%}{%- endif -%}
    {%- do poisson.update({'cdf': poisson.cdf + poisson.p}) -%}
    {%- do thresholds.append((poisson.cdf * 9007199254740992) | round(0, 'ceil') | int) -%}
  {%- endfor -%}
  with members as (
    {{ customer_segmentation.seg_response_members(case_name, target_column) }}
  ),

  uniforms as (
    select
      members.model_id,
      members.segment_id,
      cast(members.target_value = 1 as integer) as responded,
      draws.replicate,
      hash(
        cast(members.customer_id as varchar), cast(draws.replicate as bigint), cast({{ seed | int }} as bigint)
      ) >> 11 as u
    from members
    cross join range(1, {{ replicates | int }} + 1) as draws (replicate)
  ),

  weights as (
    select
      model_id,
      segment_id,
      responded,
      replicate,
      case
        {%- for threshold in thresholds %}
          when u < {{ threshold }} then {{ loop.index0 }}
        {%- endfor %}
        else {{ thresholds | length }}
      end as weight
    from uniforms
  ),

  by_segment as (
    select
      replicate,
      model_id,
      segment_id,
      sum(weight) as customers_drawn,
      sum(weight * responded) as responders_drawn
    from weights
    group by replicate, model_id, segment_id
  ),

  overall as (
    select
      replicate,
      sum(customers_drawn) as customers_drawn,
      sum(responders_drawn) as responders_drawn
    from by_segment
    group by replicate
  ),

  replicate_lifts as (
    select
      by_segment.model_id,
      by_segment.segment_id,
      (cast(by_segment.responders_drawn as double) / by_segment.customers_drawn)
      / (cast(overall.responders_drawn as double) / overall.customers_drawn) as lift
    from by_segment
    inner join overall on by_segment.replicate = overall.replicate
    -- No customer drawn: no rate to compare. No responder overall: no average to compare with.
    where by_segment.customers_drawn > 0 and overall.responders_drawn > 0
  )

  select
    {{ customer_segmentation.seg_literal(case_name) }} as case_name,
    model_id,
    segment_id,
    quantile_cont(lift, cast({{ customer_segmentation.seg_literal(((1 - confidence) / 2) | string) }} as double))
      as lift_low,
    quantile_cont(lift, cast({{ customer_segmentation.seg_literal(((1 + confidence) / 2) | string) }} as double))
      as lift_high,
    count(*) as lift_replicates
  from replicate_lifts
  group by model_id, segment_id
{% endmacro %}
