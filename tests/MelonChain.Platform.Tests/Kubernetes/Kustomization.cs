using YamlDotNet.RepresentationModel;

namespace MelonChain.Platform.Tests.Kubernetes;

/// <summary>
/// Renders a kustomization the way <c>kubectl kustomize</c> does, for the subset deploy/k8s uses, without kubectl:
/// <c>resources</c> (files, or folders with their own kustomization), <c>patches</c> given by <c>path</c> (strategic
/// merge: maps merged key by key, lists and scalars replaced, matched to a resource by kind and name; a patch of
/// <c>$patch: delete</c> removes its resource) and
/// <c>namespace</c>. Any other field is refused, so a manifest never relies on something this renderer would skip.
/// The result stays a YAML node tree: quoted and plain scalars keep their style, so typed loading sees them as written.
/// </summary>
public static class Kustomization
{
    private static readonly HashSet<string> Understood = ["apiVersion", "kind", "namespace", "resources", "patches"];
    private static readonly HashSet<string> ClusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"];

    public static List<YamlMappingNode> Render(string folder)
    {
        var file = Path.Combine(folder, "kustomization.yaml");
        var kustomization = (YamlMappingNode)Load(file).Single();
        var unknown = kustomization.Children.Keys.Select(k => k.ToString()).Where(k => !Understood.Contains(k)).ToList();
        if (unknown.Count > 0) throw new NotSupportedException($"{file}: {string.Join(", ", unknown)} is not rendered by this test's renderer");

        var objects = new List<YamlMappingNode>();
        foreach (var resource in Sequence(kustomization, "resources").Select(r => Path.GetFullPath(Path.Combine(folder, r.ToString()))))
            objects.AddRange(Directory.Exists(resource) ? Render(resource) : Load(resource).Cast<YamlMappingNode>());

        foreach (var patchEntry in Sequence(kustomization, "patches").Cast<YamlMappingNode>())
        {
            if (patchEntry.Children.Count != 1 || !patchEntry.Children.ContainsKey("path"))
                throw new NotSupportedException($"{file}: only patches given by path are rendered");
            foreach (var patch in Load(Path.Combine(folder, patchEntry["path"].ToString())).Cast<YamlMappingNode>())
            {
                var target = objects.SingleOrDefault(o => Kind(o) == Kind(patch) && Name(o) == Name(patch))
                    ?? throw new InvalidOperationException($"{file}: the patch for {Kind(patch)} {Name(patch)} matches no resource");
                // A strategic merge patch of "$patch: delete" removes the resource it names.
                if (patch.Children.TryGetValue("$patch", out var directive) && directive.ToString() == "delete") objects.Remove(target);
                else Merge(target, patch);
            }
        }

        if (kustomization.Children.TryGetValue("namespace", out var ns))
            foreach (var o in objects.Where(o => !ClusterScoped.Contains(Kind(o))))
                ((YamlMappingNode)o["metadata"]).Children[new YamlScalarNode("namespace")] = new YamlScalarNode(ns.ToString());
        return objects;
    }

    /// <summary>The rendered objects as one multi-document YAML text, as <c>kubectl kustomize</c> prints them.</summary>
    public static string ToYaml(IEnumerable<YamlMappingNode> objects)
    {
        var writer = new StringWriter();
        foreach (var o in objects)
        {
            writer.WriteLine("---");
            new YamlStream(new YamlDocument(o)).Save(writer, assignAnchors: false);
        }
        return writer.ToString();
    }

    public static string Kind(YamlMappingNode o) => o.Children.TryGetValue("kind", out var k) ? k.ToString() : "";
    public static string Name(YamlMappingNode o) =>
        o.Children.TryGetValue("metadata", out var m) && m is YamlMappingNode meta && meta.Children.TryGetValue("name", out var n) ? n.ToString() : "";

    /// <summary>A deep copy, so that a test can break a rendered object without touching the others.</summary>
    public static YamlMappingNode Copy(YamlMappingNode node) =>
        (YamlMappingNode)ParseAll(ToYaml([node])).Documents.Single().RootNode;

    private static void Merge(YamlMappingNode target, YamlMappingNode patch)
    {
        foreach (var (key, value) in patch.Children)
        {
            if (value is YamlMappingNode map && target.Children.TryGetValue(key, out var existing) && existing is YamlMappingNode into)
                Merge(into, map);
            else
                target.Children[key] = value;
        }
    }

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? (YamlSequenceNode)value : [];

    private static IEnumerable<YamlNode> Load(string file) =>
        ParseAll(File.ReadAllText(file)).Documents.Select(d => d.RootNode).Where(n => n is YamlMappingNode { Children.Count: > 0 });

    private static YamlStream ParseAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream;
    }
}
