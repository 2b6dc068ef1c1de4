{% macro seg_spec(case_name) %}
  {#- The case's settings: `segmentation_defaults` overlaid with `segmentation[case_name]`. -#}
  {%- set cases = var('segmentation') -%}
  {%- if case_name not in cases -%}
    {{ exceptions.raise_compiler_error(
      "Unknown segmentation case '" ~ case_name ~ "'. Cases configured in vars.segmentation: "
      ~ (cases.keys() | list | join(', '))
    ) }}
  {%- endif -%}
  {%- set spec = {} -%}
  {%- do spec.update(var('segmentation_defaults')) -%}
  {%- do spec.update(cases[case_name]) -%}
  {%- for required in ['features_model', 'id_column', 'features'] -%}
    {%- if not spec.get(required) -%}
      {{ exceptions.raise_compiler_error(
        "vars.segmentation." ~ case_name ~ "." ~ required ~ " is not set: every case names its "
        ~ "feature model, id column and clustering features."
      ) }}
    {%- endif -%}
  {%- endfor -%}
  {%- if not spec.get('profile_features') -%}
    {%- do spec.update({'profile_features': spec['features']}) -%}
  {%- endif -%}
  {{ return(spec) }}
{% endmacro %}


{% macro seg_cases() %}
  {#- The cases this run builds, validated against vars.segmentation. -#}
  {%- set cases = var('segmentation_cases') -%}
  {%- for case_name in cases -%}
    {%- do seg_spec(case_name) -%}
  {%- endfor -%}
  {{ return(cases) }}
{% endmacro %}
