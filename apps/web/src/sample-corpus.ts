// A small bundled corpus for "Train in the browser": one sentence per line, documents separated by blank lines
// (google-research/bert's input format). Written for this demo; simple words so a 2,000-token vocabulary covers it.
export const SAMPLE_CORPUS = `The cat sat on the mat.
It was a warm day and the sun was high.
The cat closed its eyes and slept.
A dog came into the room.
The dog looked at the cat for a long time.
Then the dog lay down by the door.

The man went to the store.
He bought a gallon of milk and a loaf of bread.
The woman at the counter said good morning.
He paid and walked back home.
On the way he saw a friend from school.
They talked about the weather and the game.

The city council met on Monday night.
The members voted on a new plan for the park.
Most of them said the plan was good for the people.
The mayor said the work would start in the spring.
Some of the people in the room were not happy.
They asked the council to think again.

The boy ran down the hill to the river.
The water was cold and clear.
He sat on a rock and watched the fish.
His sister called him from the house.
It was time for dinner.
He ran back up the hill.

The old house stood at the end of the road.
No one had lived there for many years.
The windows were dark and the door was open.
The children said the house was full of ghosts.
One night a light was seen in the window.
In the morning the light was gone.

The teacher wrote a question on the board.
The students read it and began to write.
One girl finished first and handed in her paper.
The teacher smiled and said it was a good answer.
The class went out to play in the yard.
The bell rang at the end of the day.
`;
