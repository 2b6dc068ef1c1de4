{% macro seg_case_selected(case_name) %}
  {#-
    True when this run builds the case (it is in var('segmentation_cases')). For
    `config(enabled=...)` of a case's own models (standardised view, profile mart), so the
    default build never needs a case's data. Works at parse time.
  -#}
  {{ return(case_name in var('segmentation_cases')) }}
{% endmacro %}


{% macro seg_features_model_selected(features_model) %}
  {#-
    True when some case of this run takes its features from `features_model` (its
    vars.segmentation.<case>.features_model). For `config(enabled=...)` of the models and
    tests a feature model and its staging depend on, when several cases share them.
  -#}
  {%- set cases = var('segmentation') -%}
  {%- for case_name in var('segmentation_cases') -%}
    {%- if case_name in cases and cases[case_name].get('features_model') == features_model -%}
      {{ return(true) }}
    {%- endif -%}
  {%- endfor -%}
  {{ return(false) }}
{% endmacro %}
