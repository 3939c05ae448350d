using System.Reflection;
using k8s;
using k8s.Models;
using MelonChain.ServiceDefaults.Hosting;
using YamlDotNet.RepresentationModel;

namespace MelonChain.Platform.Tests.Kubernetes;

/// <summary>
/// What deploy/k8s must hold, checked offline on a rendered kustomization. Built-in kinds are loaded into the official
/// client's typed models (KubernetesClient, strict: an unknown or misspelt field fails); the operators' custom
/// resources, which the client has no model for, are checked for the fields their operators require.
/// </summary>
public static class ManifestRules
{
    /// <summary>The operator-made secret the RabbitMQ Cluster Operator writes for each RabbitmqCluster.</summary>
    private const string RabbitDefaultUserSuffix = "-default-user";
    public const string SingleReplicaAnnotation = "melonchain.example.org/single-replica";
    public const string Placeholder = "REPLACE_ME";

    /// <summary>A custom resource as the typed loader reads it: the envelope typed, the spec as written.</summary>
    public sealed class CustomResource : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "";
        public string Kind { get; set; } = "";
        public V1ObjectMeta Metadata { get; set; } = new();
        public Dictionary<string, object>? Spec { get; set; }
    }

    /// <summary>The operators' kinds this project deploys, and the fields their operators refuse to go without.</summary>
    private static readonly Dictionary<string, string[]> CustomResources = new()
    {
        ["postgresql.cnpg.io/v1/Cluster"] = ["spec.instances", "spec.storage.size"],
        ["rabbitmq.com/v1beta1/RabbitmqCluster"] = ["spec.replicas"],
    };

    private static readonly Dictionary<string, Type> TypeMap = BuildTypeMap();

    private static Dictionary<string, Type> BuildTypeMap()
    {
        var map = typeof(V1Deployment).Assembly.GetTypes()
            .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(x => x.Entity is not null && !string.IsNullOrEmpty(x.Entity.Kind))
            .GroupBy(x => string.IsNullOrEmpty(x.Entity!.Group) ? $"{x.Entity.ApiVersion}/{x.Entity.Kind}" : $"{x.Entity.Group}/{x.Entity.ApiVersion}/{x.Entity.Kind}")
            .ToDictionary(g => g.Key, g => g.First().Type);
        foreach (var kind in CustomResources.Keys) map[kind] = typeof(CustomResource);
        return map;
    }

    /// <summary>Everything wrong with the rendered objects; empty when they hold.</summary>
    /// <param name="development">The dev overlay: development tokens are on, so it must route from no public host (no Ingress).</param>
    public static List<string> Check(IReadOnlyList<YamlMappingNode> rendered, bool development = false)
    {
        var problems = new List<string>();
        List<object> objects;
        try
        {
            objects = KubernetesYaml.LoadAllFromString(Kustomization.ToYaml(rendered), TypeMap, strict: true);
        }
        catch (Exception e)
        {
            return [$"does not load as Kubernetes objects: {e.GetBaseException().Message}"];
        }

        foreach (var node in rendered)
        {
            var key = $"{node["apiVersion"]}/{node["kind"]}";
            if (!CustomResources.TryGetValue(key, out var required)) continue;
            foreach (var path in required.Where(p => Find(node, p) is not YamlScalarNode { Value.Length: > 0 }))
                problems.Add($"{node["kind"]} {Kustomization.Name(node)}: {path} is required");
        }
        CheckDatabaseRoles(rendered, objects, problems);

        var deployments = objects.OfType<V1Deployment>().ToList();
        var secrets = objects.OfType<V1Secret>().ToList();
        var configMaps = objects.OfType<V1ConfigMap>().Select(c => c.Metadata.Name).ToHashSet();
        var operatorSecrets = objects.OfType<CustomResource>().Where(c => c.Kind == "RabbitmqCluster")
            .Select(c => c.Metadata.Name + RabbitDefaultUserSuffix).ToHashSet();
        var secretNames = secrets.Select(s => s.Metadata.Name).Concat(operatorSecrets).ToHashSet();

        foreach (var d in deployments)
        {
            var name = d.Metadata.Name;
            var single = d.Metadata.Annotations?.ContainsKey(SingleReplicaAnnotation) == true;
            if (!single && (d.Spec.Replicas ?? 1) < 2) problems.Add($"Deployment {name}: {d.Spec.Replicas ?? 1} replica(s), at least 2 needed");
            var pod = d.Spec.Template.Spec;
            foreach (var c in pod.Containers)
            {
                var where = $"Deployment {name} container {c.Name}";
                if (c.ReadinessProbe?.HttpGet?.Path != HealthEndpoints.Ready) problems.Add($"{where}: readiness probe must ask {HealthEndpoints.Ready}");
                if (c.LivenessProbe?.HttpGet?.Path != HealthEndpoints.Live) problems.Add($"{where}: liveness probe must ask {HealthEndpoints.Live}");
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    if (c.Resources?.Requests?.ContainsKey(resource) != true) problems.Add($"{where}: no {resource} request");
                    if (c.Resources?.Limits?.ContainsKey(resource) != true) problems.Add($"{where}: no {resource} limit");
                }
                if ((c.SecurityContext?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot) != true) problems.Add($"{where}: must run as non-root (runAsNonRoot)");
                if (c.SecurityContext?.AllowPrivilegeEscalation != false) problems.Add($"{where}: allowPrivilegeEscalation must be false");
                foreach (var s in (c.EnvFrom ?? []).Where(e => e.SecretRef is not null && e.SecretRef.Optional != true).Select(e => e.SecretRef.Name)
                             .Concat((c.Env ?? []).Where(e => e.ValueFrom?.SecretKeyRef is { Optional: not true }).Select(e => e.ValueFrom.SecretKeyRef.Name)))
                    if (!secretNames.Contains(s)) problems.Add($"{where}: refers to secret {s}, which nothing creates");
                foreach (var m in (c.EnvFrom ?? []).Where(e => e.ConfigMapRef is not null && e.ConfigMapRef.Optional != true).Select(e => e.ConfigMapRef.Name))
                    if (!configMaps.Contains(m)) problems.Add($"{where}: refers to config map {m}, which nothing creates");
            }

            var labels = d.Spec.Template.Metadata.Labels ?? new Dictionary<string, string>();
            bool Selects(IDictionary<string, string>? selector) => selector is { Count: > 0 } && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);
            if (!objects.OfType<V1Service>().Any(s => Selects(s.Spec.Selector))) problems.Add($"Deployment {name}: no Service selects its pods");
            if (single) continue;
            if (!objects.OfType<V1PodDisruptionBudget>().Any(p => Selects(p.Spec.Selector?.MatchLabels)))
                problems.Add($"Deployment {name}: no PodDisruptionBudget");
            var hpa = objects.OfType<V2HorizontalPodAutoscaler>().FirstOrDefault(h => h.Spec.ScaleTargetRef is { Kind: "Deployment" } t && t.Name == name);
            if (hpa is null) problems.Add($"Deployment {name}: no HorizontalPodAutoscaler");
            else if ((hpa.Spec.MinReplicas ?? 1) < 2) problems.Add($"HorizontalPodAutoscaler {hpa.Metadata.Name}: minReplicas below 2");
        }

        foreach (var secret in secrets)
            foreach (var (key, value) in (secret.StringData ?? new Dictionary<string, string>())
                         .Concat((secret.Data ?? new Dictionary<string, byte[]>()).Select(d => KeyValuePair.Create(d.Key, System.Text.Encoding.UTF8.GetString(d.Value)))))
                if (key != "username" && !value.StartsWith(Placeholder))
                    problems.Add($"Secret {secret.Metadata.Name}: {key} holds a value, not a {Placeholder} placeholder");

        var services = objects.OfType<V1Service>().Select(s => s.Metadata.Name).ToHashSet();
        foreach (var ingress in objects.OfType<V1Ingress>())
            foreach (var backend in ingress.Spec.Rules.SelectMany(r => r.Http.Paths).Select(p => p.Backend.Service.Name))
                if (backend != "gateway" || !services.Contains(backend))
                    problems.Add($"Ingress {ingress.Metadata.Name}: routes to {backend}; everything from outside goes to the gateway Service");
        if (development)
            problems.AddRange(objects.OfType<V1Ingress>().Select(i =>
                $"Ingress {i.Metadata.Name}: the development overlay routes from no public host (port-forward only)"));
        else if (!objects.OfType<V1Ingress>().Any()) problems.Add("no Ingress to the gateway");
        CheckForwardedTrust(objects, problems);
        return problems;
    }

    /// <summary>The pods allowed to reach a service's pods, besides the Gateway: development's carrier simulator pushes to Dispatch.</summary>
    private static readonly string[] MayReachServices = ["gateway", "carrier-simulator"];

    /// <summary>
    /// S15: each hop believes X-Forwarded-For only from the hop before it. The Gateway names whom it trusts
    /// (Edge__TrustedProxies) and a NetworkPolicy admits only the ingress controller to it; the services' trusted
    /// networks are never a whole private range, and a NetworkPolicy admits only the Gateway's pods to each of them.
    /// </summary>
    private static void CheckForwardedTrust(List<object> objects, List<string> problems)
    {
        var configs = objects.OfType<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => new Dictionary<string, string>(c.Data ?? new Dictionary<string, string>()));
        if (configs.GetValueOrDefault("melon-gateway")?.GetValueOrDefault("Edge__TrustedProxies") is not { Length: > 0 })
            problems.Add("ConfigMap melon-gateway: Edge__TrustedProxies (the ingress's addresses) is not set, so the Gateway sees every caller as the ingress");
        foreach (var (name, data) in configs)
            foreach (var key in new[] { "ForwardedHeaders__KnownNetworks", "Edge__TrustedProxies" })
                foreach (var network in (data.GetValueOrDefault(key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    if (System.Net.IPNetwork.TryParse(network, out var n) && n.PrefixLength <= 8)
                        problems.Add($"ConfigMap {name}: {key} trusts {network}, a whole range: any pod or node in it could name any caller");

        var policies = objects.OfType<V1NetworkPolicy>().ToList();
        foreach (var d in objects.OfType<V1Deployment>().Where(d => d.Metadata.Name != "carrier-simulator"))
        {
            var labels = d.Spec.Template.Metadata.Labels ?? new Dictionary<string, string>();
            var selecting = policies.Where(p => Selects(p.Spec.PodSelector, labels) && p.Spec.PolicyTypes?.Contains("Ingress") == true).ToList();
            var peers = selecting.SelectMany(p => p.Spec.Ingress ?? []).SelectMany(r => r.FromProperty ?? [new V1NetworkPolicyPeer()]).ToList();
            var gateway = d.Metadata.Name == "gateway";
            if (selecting.Count == 0)
                problems.Add($"Deployment {d.Metadata.Name}: no NetworkPolicy limits who connects to it ({(gateway ? "the ingress controller" : "the Gateway")} only)");
            foreach (var peer in peers)
            {
                var allowed = gateway
                    ? peer.NamespaceSelector?.MatchLabels is { Count: > 0 } && peer.IpBlock is null
                    : peer.NamespaceSelector is null && peer.IpBlock is null
                      && peer.PodSelector?.MatchLabels is { } podLabels && podLabels.TryGetValue("app.kubernetes.io/name", out var from) && MayReachServices.Contains(from);
                if (!allowed)
                    problems.Add($"Deployment {d.Metadata.Name}: a NetworkPolicy admits connections from beyond {(gateway ? "the ingress controller" : "the Gateway")}");
            }
        }
    }

    private static bool Selects(V1LabelSelector? selector, IDictionary<string, string> labels) =>
        selector is not null
        && (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)
        && (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => false,
        });

    /// <summary>
    /// The PostgreSQL cluster has a database and a role per service: the bootstrap owner plus managed roles whose
    /// password secrets exist, and every Deployment's connection names a role the cluster has.
    /// </summary>
    private static void CheckDatabaseRoles(IReadOnlyList<YamlMappingNode> rendered, List<object> objects, List<string> problems)
    {
        var secrets = objects.OfType<V1Secret>().Select(s => s.Metadata.Name).ToHashSet();
        foreach (var cluster in rendered.Where(n => Kustomization.Kind(n) == "Cluster"))
        {
            var roles = new HashSet<string>();
            if (Find(cluster, "spec.bootstrap.initdb.owner") is YamlScalarNode owner) roles.Add(owner.Value!);
            if (Find(cluster, "spec.bootstrap.initdb.secret.name") is YamlScalarNode s && !secrets.Contains(s.Value!))
                problems.Add($"Cluster {Kustomization.Name(cluster)}: bootstrap secret {s.Value} is not created");
            foreach (var role in (Find(cluster, "spec.managed.roles") as YamlSequenceNode ?? []).Cast<YamlMappingNode>())
            {
                roles.Add(role["name"].ToString());
                if (Find(role, "passwordSecret.name") is not YamlScalarNode secret || !secrets.Contains(secret.Value!))
                    problems.Add($"Cluster {Kustomization.Name(cluster)}: role {role["name"]} has no password secret that exists");
            }
            foreach (var env in objects.OfType<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers).SelectMany(c => c.Env ?? []))
                if (env.Name == "ConnectionStrings__Db" && env.Value?.Split(';').FirstOrDefault(p => p.StartsWith("Username=")) is { } user
                    && !roles.Contains(user["Username=".Length..]))
                    problems.Add($"a connection string logs in as {user["Username=".Length..]}, a role the PostgreSQL cluster does not have");
        }
    }

    /// <summary>The node at a dotted path (<c>spec.storage.size</c>), or null.</summary>
    public static YamlNode? Find(YamlNode node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(part, out var next)) return null;
            node = next;
        }
        return node;
    }
}
