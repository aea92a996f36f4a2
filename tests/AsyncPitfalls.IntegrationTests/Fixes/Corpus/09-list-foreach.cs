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

    private void Sweep(List<string> expired)
    {
        expired.ForEach(name => _store.DeleteAsync(name));
    }
}
