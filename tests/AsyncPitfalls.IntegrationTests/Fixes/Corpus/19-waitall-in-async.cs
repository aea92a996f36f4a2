using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Warmup;

public interface ICacheWarmer
{
    Task WarmAsync(string region);
}

public sealed class Warmup
{
    private readonly ICacheWarmer _warmer;

    public Warmup(ICacheWarmer warmer) => _warmer = warmer;

    public async Task RunAsync(IEnumerable<string> regions)
    {
        var tasks = regions.Select(r => _warmer.WarmAsync(r)).ToArray();
        Task.WaitAll(tasks);
        await Task.Yield();
    }
}
