using Microsoft.Extensions.Configuration;

namespace MelonChain.ServiceDefaults.Hosting;

/// <summary>
/// Which replica of a service this process is: <c>Service:InstanceId</c> (deploy/dev.sh names each local replica, the
/// Kubernetes manifests give the pod's name), else the host name and process id. Recorded with what this replica does
/// that others could have done instead, such as publishing an outbox row.
/// </summary>
public sealed record ServiceInstance(string Id)
{
    public static ServiceInstance From(IConfiguration configuration) =>
        new(configuration["Service:InstanceId"] is { Length: > 0 } id ? id : $"{Environment.MachineName}-{Environment.ProcessId}");
}
