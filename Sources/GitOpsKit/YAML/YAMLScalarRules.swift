/// How plain scalars are typed while decoding.
///
/// Kubernetes and kubectl read manifests with go-yaml v2 (YAML 1.1 flavoured: `yes`, `on`, `y` are booleans);
/// kustomize v5 reads them with kyaml (go-yaml v3), where only `true`/`false` (and their capitalised forms) are
/// booleans and `yes`/`on`/`y` stay strings, and plain timestamps become RFC 3339 text (`2001-12-14` →
/// `2001-12-14T00:00:00Z`) except in `metadata.annotations`, as kustomize prints them. Numbers, nulls and merge
/// keys are typed alike by both.
public enum YAMLScalarRules: Sendable, Hashable {
    /// go-yaml v2 (sigs.k8s.io/yaml): what the API server and `kubectl apply` do.
    case goYAMLv2
    /// kyaml (go-yaml v3): what `kustomize build` / `kubectl kustomize` do.
    case kyaml
    /// go-yaml v2 read through JSON into Go's `interface{}` (sigs.k8s.io/yaml as Helm reads values and `fromYaml`):
    /// typed as `goYAMLv2`, but every number is a float64 there, so `-0` keeps its sign (kubectl's integer
    /// reading makes it 0).
    case goYAMLv2Float64
}
