using System.Collections.Generic;
using System.Threading.Tasks;

namespace Rooms;

public interface INotifier
{
    Task NotifyAsync(string member, string message);
}

public sealed class Room
{
    private readonly object _gate = new();
    private readonly List<string> _members = new();
    private readonly INotifier _notifier;

    public Room(INotifier notifier) => _notifier = notifier;

    public void Join(string member)
    {
        lock (_gate)
        {
            foreach (var other in _members)
            {
                _notifier.NotifyAsync(other, member + " joined");
            }

            _members.Add(member);
        }
    }
}
