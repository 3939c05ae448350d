using MelonChain.Testing;
using YamlDotNet.RepresentationModel;

namespace MelonChain.Platform.Tests.Kubernetes;

/// <summary>
/// deploy/k8s validated offline, as CI runs it: the base and the dev overlay rendered (the kustomize subset they use),
/// every object loaded into the official client's typed models, the operators' resources checked for their required
/// fields, and the project's own rules (replicas, probes, limits, non-root, placeholders only, one way in).
/// </summary>
public class KubernetesManifestTests
{
    private static string K8s(string overlay) => Path.Combine(Repository.Root, "deploy", "k8s", overlay);

    /// <summary>Each service folder's Kubernetes name; the simulator belongs to development only.</summary>
    private static readonly Dictionary<string, string> Deployed = new()
    {
        ["Cooperative"] = "cooperative", ["ContractGrowing"] = "growing", ["Dispatch"] = "dispatch", ["Tracking"] = "tracking",
        ["Gateway"] = "gateway", ["CarrierSimulator"] = "carrier-simulator",
    };

    /// <summary>Service folders that run in no process of their own: the workstation is static files in the Gateway's image.</summary>
    private static readonly string[] InTheGatewaysImage = ["Workstation"];

    [Theory]
    [InlineData("base")]
    [InlineData("dev")]
    public void The_manifests_load_as_typed_objects_and_keep_every_rule(string overlay)
    {
        var problems = ManifestRules.Check(Kustomization.Render(K8s(overlay)), development: overlay == "dev");
        Assert.True(problems.Count == 0, $"deploy/k8s/{overlay}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_service_has_a_deployment_and_the_carrier_simulator_runs_in_the_dev_overlay_only()
    {
        var folders = Directory.GetDirectories(Path.Combine(Repository.Root, "services")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(Deployed.Keys.Concat(InTheGatewaysImage).Order(), folders);
        var gateway = File.ReadAllText(Path.Combine(Repository.Root, "services", "Gateway", "Gateway.csproj"));
        Assert.All(InTheGatewaysImage, folder => Assert.Contains($@"<ProjectReference Include=""..\{folder}\{folder}.csproj"" />", gateway));
        string[] Deployments(string overlay) => Kustomization.Render(K8s(overlay)).Where(o => Kustomization.Kind(o) == "Deployment")
            .Select(Kustomization.Name).Order().ToArray();

        Assert.Equal(Deployed.Values.Where(n => n != "carrier-simulator").Order(), Deployments("base"));
        Assert.Equal(Deployed.Values.Order(), Deployments("dev"));
    }

    [Fact]
    public void Every_image_is_the_Dockerfiles_build_of_its_service_and_runs_as_a_non_root_user()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Repository.Root, "deploy", "docker", "Dockerfile"));
        var user = dockerfile.Last(l => l.StartsWith("USER ")).Split(' ', 2)[1].Trim();
        Assert.NotEqual("root", user);
        Assert.NotEqual("0", user);

        foreach (var deployment in Kustomization.Render(K8s("dev")).Where(o => Kustomization.Kind(o) == "Deployment"))
        {
            var image = ManifestRules.Find(deployment, "spec.template.spec.containers") is YamlSequenceNode containers
                ? ((YamlMappingNode)containers[0])["image"].ToString() : "";
            Assert.StartsWith($"melonchain/{Kustomization.Name(deployment)}:", image);
        }
    }

    /// <summary>The validator itself: each kind of break, made on an in-memory copy of the rendered base, is caught.</summary>
    [Theory]
    [InlineData("Cluster", "melon-pg", "spec.instances", "spec.instances is required")]
    [InlineData("Cluster", "melon-pg", "spec.storage.size", "spec.storage.size is required")]
    [InlineData("RabbitmqCluster", "melon-rabbitmq", "spec.replicas", "spec.replicas is required")]
    [InlineData("Deployment", "dispatch", "spec.replicas", "dispatch: 1 replica(s)")]
    [InlineData("Deployment", "cooperative", "spec.template.spec.containers.0.readinessProbe", "readiness probe")]
    [InlineData("Deployment", "tracking", "spec.template.spec.containers.0.resources.limits", "no cpu limit")]
    [InlineData("Deployment", "growing", "spec.template.spec.securityContext.runAsNonRoot", "non-root")]
    [InlineData("Secret", "melon-db-growing", "stringData", "role growing has no password secret")]
    [InlineData("HorizontalPodAutoscaler", "gateway", "spec.scaleTargetRef", "Deployment gateway: no HorizontalPodAutoscaler")]
    public void A_manifest_missing_a_required_field_fails_validation(string kind, string name, string path, string expected)
    {
        var rendered = Kustomization.Render(K8s("base"));
        Assert.Empty(ManifestRules.Check(rendered));

        var broken = rendered.Select(Kustomization.Copy).ToList();
        var target = broken.Single(o => Kustomization.Kind(o) == kind && Kustomization.Name(o) == name);
        if (kind == "Secret") broken.Remove(target);   // the secret itself goes missing
        else Remove(target, path);

        var problems = ManifestRules.Check(broken);
        Assert.Contains(problems, p => p.Contains(expected));
    }

    [Fact]
    public void A_misspelt_field_a_committed_secret_value_or_an_ingress_past_the_gateway_fails_validation()
    {
        List<string> CheckWith(Action<List<YamlMappingNode>> breakIt)
        {
            var objects = Kustomization.Render(K8s("base")).Select(Kustomization.Copy).ToList();
            breakIt(objects);
            return ManifestRules.Check(objects);
        }
        YamlMappingNode Get(List<YamlMappingNode> all, string kind, string name) =>
            all.Single(o => Kustomization.Kind(o) == kind && Kustomization.Name(o) == name);

        Assert.Contains(CheckWith(all => ((YamlMappingNode)Get(all, "Deployment", "tracking")["spec"]).Add("replica", "3")),
            p => p.Contains("does not load"));
        Assert.Contains(CheckWith(all => ((YamlMappingNode)Get(all, "Secret", "melon-carrier")["stringData"])
                .Children[new YamlScalarNode("Carrier__Sf__CheckWord")] = new YamlScalarNode("a-real-looking-check-word")),
            p => p.Contains("melon-carrier: Carrier__Sf__CheckWord holds a value"));
        Assert.Contains(CheckWith(all => ((YamlMappingNode)ManifestRules.Find(Get(all, "Ingress", "melonchain"),
                "spec.rules")!.AllNodes.OfType<YamlMappingNode>().First(m => m.Children.ContainsKey("service"))["service"])
                .Children[new YamlScalarNode("name")] = new YamlScalarNode("cooperative")),
            p => p.Contains("routes to cooperative"));
    }

    /// <summary>
    /// S15: the development overlay (development tokens on) renders no Ingress: it is reached by port-forward only, and
    /// says so; the base has exactly one, to the Gateway.
    /// </summary>
    [Fact]
    public void The_dev_overlay_renders_no_Ingress_and_is_reached_by_port_forward_only()
    {
        string[] Ingresses(string overlay) => Kustomization.Render(K8s(overlay)).Where(o => Kustomization.Kind(o) == "Ingress")
            .Select(Kustomization.Name).ToArray();

        Assert.Empty(Ingresses("dev"));
        Assert.Equal(["melonchain"], Ingresses("base"));
        Assert.Contains("port-forward", File.ReadAllText(Path.Combine(K8s("dev"), "kustomization.yaml")));
        // The validator refuses an Ingress in the development overlay.
        var withIngress = Kustomization.Render(K8s("dev")).Concat(Kustomization.Render(K8s("base")).Where(o => Kustomization.Kind(o) == "Ingress")).ToList();
        Assert.Contains(ManifestRules.Check(withIngress, development: true), p => p.Contains("routes from no public host"));
    }

    /// <summary>S15: the forwarded-header trust the validator holds, each broken on a copy of the rendered base.</summary>
    [Fact]
    public void Trusting_a_whole_private_range_a_gateway_without_its_ingress_or_a_service_open_to_any_pod_fails_validation()
    {
        List<string> CheckWith(Action<List<YamlMappingNode>> breakIt)
        {
            var objects = Kustomization.Render(K8s("base")).Select(Kustomization.Copy).ToList();
            breakIt(objects);
            return ManifestRules.Check(objects);
        }
        YamlMappingNode Data(List<YamlMappingNode> all, string name) =>
            (YamlMappingNode)all.Single(o => Kustomization.Kind(o) == "ConfigMap" && Kustomization.Name(o) == name)["data"];

        Assert.Contains(CheckWith(all => Data(all, "melon-config").Children[new YamlScalarNode("ForwardedHeaders__KnownNetworks")] = new YamlScalarNode("10.0.0.0/8")),
            p => p.Contains("trusts 10.0.0.0/8, a whole range"));
        Assert.Contains(CheckWith(all => Data(all, "melon-gateway").Children.Remove(new YamlScalarNode("Edge__TrustedProxies"))),
            p => p.Contains("Edge__TrustedProxies (the ingress's addresses) is not set"));
        Assert.Contains(CheckWith(all => all.RemoveAll(o => Kustomization.Kind(o) == "NetworkPolicy" && Kustomization.Name(o) == "services-from-gateway")),
            p => p.Contains("Deployment tracking: no NetworkPolicy"));
        Assert.Contains(CheckWith(all => ((YamlMappingNode)((YamlSequenceNode)ManifestRules.Find(
                all.Single(o => Kustomization.Name(o) == "services-from-gateway"), "spec.ingress")!)[0]).Children.Remove(new YamlScalarNode("from"))),
            p => p.Contains("Deployment dispatch: a NetworkPolicy admits connections from beyond the Gateway"));
    }

    /// <summary>Removes the node at a dotted path (a number steps into a list).</summary>
    private static void Remove(YamlNode node, string path)
    {
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
            node = node is YamlSequenceNode list ? list[int.Parse(part)] : ((YamlMappingNode)node)[part];
        Assert.True(((YamlMappingNode)node).Children.Remove(new YamlScalarNode(parts[^1])), $"{path} was not there to remove");
    }
}
