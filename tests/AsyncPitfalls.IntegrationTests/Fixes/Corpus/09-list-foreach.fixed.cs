using System.Collections.Generic;
using System.Threading.Tasks;

namespace Cleanup;

public interface IBlobStore
{
    Task DeleteAsync(string name);
}

internal sealed class Janitor
{
    private readonly IBlobStore _store;

    public Janitor(IBlobStore store) => _store = store;

    private async Task Sweep(List<string> expired)
    {
        foreach (var name in expired)
        {
            await _store.DeleteAsync(name);
        }
    }
}
